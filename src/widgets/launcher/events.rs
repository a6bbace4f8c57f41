//! The events `<comeback-launcher>` fires on its element.

use crate::events::{field, Event, Ty};

/// The launcher's panel opened.
pub const OPEN: &str = "comeback:launcher:open";
/// The launcher's panel closed.
pub const CLOSE: &str = "comeback:launcher:close";

/// Every event this widget fires.
pub const ALL: &[Event] = &[
    Event {
        name: OPEN,
        detail: Ty::Object(&[field(
            "tab",
            Ty::Enum(&["rewards", "help", "subscriptions", "referral"]),
        )]),
        cancelable: false,
        about: "The launcher's panel opened on `tab`.",
    },
    Event {
        name: CLOSE,
        detail: Ty::Null,
        cancelable: false,
        about: "The launcher's panel closed.",
    },
];

#[cfg(test)]
mod tests {
    use crate::events::Ty;
    use crate::widgets::WidgetKind;

    #[test]
    fn open_lists_every_tab() {
        let Ty::Object([tab]) = super::ALL[0].detail else {
            panic!("open's detail is {{tab}}");
        };
        let Ty::Enum(names) = tab.ty else {
            panic!("tab is an enum");
        };
        let tabs: Vec<&str> = WidgetKind::ALL.iter().filter_map(|k| k.tab()).collect();
        assert_eq!(names, tabs.as_slice());
    }
}
