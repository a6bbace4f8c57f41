//! The events `<comeback-help>` fires on its element (they bubble and cross the shadow root).

use crate::events::{field, Event, Ty};

/// The shopper settled on a search.
pub const SEARCHED: &str = "comeback:help:searched";
/// The shopper opened an article.
pub const ARTICLE_OPENED: &str = "comeback:help:article-opened";
/// The shopper started a troubleshooting tree.
pub const WIZARD_STARTED: &str = "comeback:help:wizard-started";
/// The shopper reached a leaf of a tree.
pub const WIZARD_FINISHED: &str = "comeback:help:wizard-finished";
/// The shopper said whether an article or a solved leaf helped.
pub const FEEDBACK: &str = "comeback:help:feedback";
/// A ticket was accepted.
pub const TICKET_CREATED: &str = "comeback:help:ticket-created";
/// A ticket was kept on the device to be sent later.
pub const TICKET_QUEUED: &str = "comeback:help:ticket-queued";

/// Every event this widget fires.
pub const ALL: &[Event] = &[
    Event {
        name: SEARCHED,
        detail: Ty::Object(&[field("query", Ty::String), field("results", Ty::Number)]),
        cancelable: false,
        about: "The shopper settled on a search (Enter or leaving the box); `results` is how \
                many articles matched.",
    },
    Event {
        name: ARTICLE_OPENED,
        detail: Ty::Object(&[field("article", Ty::String)]),
        cancelable: false,
        about: "An article was opened (`article` is its id).",
    },
    Event {
        name: WIZARD_STARTED,
        detail: Ty::Object(&[field("tree", Ty::String)]),
        cancelable: false,
        about: "A troubleshooting tree was started (`tree` is its id).",
    },
    Event {
        name: WIZARD_FINISHED,
        detail: Ty::Object(&[
            field("tree", Ty::String),
            field("step", Ty::String),
            field("kind", Ty::Enum(&["solved", "contact"])),
        ]),
        cancelable: false,
        about: "A leaf was reached: `kind` is `solved` or `contact`.",
    },
    Event {
        name: FEEDBACK,
        detail: Ty::Object(&[field("subject", Ty::String), field("helpful", Ty::Bool)]),
        cancelable: false,
        about: "\"Did this help?\" answered; `subject` is `article:<id>` or \
                `leaf:<tree>/<step>`.",
    },
    Event {
        name: TICKET_CREATED,
        detail: Ty::Object(&[field("ticket_id", Ty::String)]),
        cancelable: false,
        about: "A ticket was accepted (also for a ticket sent later from the device's queue).",
    },
    Event {
        name: TICKET_QUEUED,
        detail: Ty::Object(&[]),
        cancelable: false,
        about: "The backend could not be reached: the ticket is kept on the device and sent \
                when the browser is back online.",
    },
];
