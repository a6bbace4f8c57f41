//! The events `<comeback-survey>` fires on its element (they bubble and cross the shadow
//! root). Every `detail` starts with `survey` (its id) and `version`
//! (`super::send::detail`).

use crate::events::{field, Event, Ty};

/// The survey is on screen.
pub const SHOWN: &str = "comeback:survey:shown";
/// The shopper closed the survey without answering.
pub const DISMISSED: &str = "comeback:survey:dismissed";
/// The shopper sent their answers (sent now, or queued on the device).
pub const ANSWERED: &str = "comeback:survey:answered";
/// A queued answer reached the server.
pub const SENT: &str = "comeback:survey:sent";
/// A queued answer was dropped for good.
pub const DROPPED: &str = "comeback:survey:dropped";

/// Every event this widget fires.
pub const ALL: &[Event] = &[
    Event {
        name: SHOWN,
        detail: Ty::Object(&[
            field("survey", Ty::String),
            field("version", Ty::Number),
            field("order_id", Ty::Nullable(&Ty::String)),
            field("placement", Ty::Enum(&["inline", "popup", "side_tab"])),
        ]),
        cancelable: false,
        about: "A survey appeared (recorded so it is not asked again too soon); not fired \
                when a half-answered survey is resumed from its draft.",
    },
    Event {
        name: DISMISSED,
        detail: Ty::Object(&[
            field("survey", Ty::String),
            field("version", Ty::Number),
            field("order_id", Ty::Nullable(&Ty::String)),
        ]),
        cancelable: false,
        about: "The shopper closed it without answering; it stays dismissed.",
    },
    Event {
        name: ANSWERED,
        detail: Ty::Object(&[
            field("survey", Ty::String),
            field("version", Ty::Number),
            field(
                "answers",
                Ty::Map(&Ty::OneOf(&[Ty::Number, Ty::String, Ty::List(&Ty::String)])),
            ),
            field("queued", Ty::Bool),
        ]),
        cancelable: false,
        about: "The shopper sent their answers (`answers` per question id, only the questions \
                the branching showed: a score, a text or option id, or a list of option ids); \
                `queued` when the backend could not take them yet and they wait on the device.",
    },
    Event {
        name: SENT,
        detail: Ty::Object(&[
            field("survey", Ty::String),
            field("version", Ty::Number),
            field("response_id", Ty::String),
            field(
                "reward",
                Ty::Enum(&["none", "awarded", "already_awarded", "not_eligible"]),
            ),
            field("points", Ty::Number),
        ]),
        cancelable: false,
        about: "A queued answer reached the server (an answer taken at once fires only \
                `answered`); `reward` is `none`, `awarded`, `already_awarded` or \
                `not_eligible`.",
    },
    Event {
        name: DROPPED,
        detail: Ty::Object(&[
            field("survey", Ty::String),
            field("version", Ty::Number),
            field("status", Ty::Nullable(&Ty::Number)),
            field("code", Ty::String),
        ]),
        cancelable: false,
        about: "A queued answer the server refused for good (a 4xx other than 401, 408 and \
                429, or an answer it could not read: `code` `decode`), or the oldest pushed \
                out of a full queue (`code` `queue_full`); `status` is the HTTP status, or \
                `null`.",
    },
];
