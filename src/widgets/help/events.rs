//! The events `<comeback-help>` fires on its element (they bubble and cross the shadow root).

/// The shopper searched (after a pause in typing); `detail` is `{query, results}`.
pub const SEARCHED: &str = "comeback:help:searched";
/// The shopper opened an article; `detail` is `{article}` (its id).
pub const ARTICLE_OPENED: &str = "comeback:help:article-opened";
/// The shopper started a troubleshooting tree; `detail` is `{tree}`.
pub const WIZARD_STARTED: &str = "comeback:help:wizard-started";
/// The shopper reached a leaf of a tree; `detail` is `{tree, step, kind}` (`solved` or
/// `contact`).
pub const WIZARD_FINISHED: &str = "comeback:help:wizard-finished";
/// The shopper said whether an article or a solved leaf helped; `detail` is `{subject,
/// helpful}` (`article:<id>` or `leaf:<tree>/<step>`).
pub const FEEDBACK: &str = "comeback:help:feedback";
/// A ticket was accepted; `detail` is `{ticket_id}`.
pub const TICKET_CREATED: &str = "comeback:help:ticket-created";
/// The backend could not be reached: the ticket is kept on the device and sent later;
/// `detail` is `{}`.
pub const TICKET_QUEUED: &str = "comeback:help:ticket-queued";

/// Every event this widget fires.
pub const ALL: &[&str] = &[
    SEARCHED,
    ARTICLE_OPENED,
    WIZARD_STARTED,
    WIZARD_FINISHED,
    FEEDBACK,
    TICKET_CREATED,
    TICKET_QUEUED,
];
