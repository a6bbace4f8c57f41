//! One module per widget kind. Each is `mod.rs` (view), `model.rs` (pure logic) and
//! `style.css` (its shadow-root styles).

pub mod loyalty;

/// The widget kinds this bundle can mount, by custom element name without `comeback-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WidgetKind {
    /// `<comeback-loyalty>`: balance, tier, rewards, history.
    Loyalty,
}

impl WidgetKind {
    /// Parses the kind the loader passes (`loyalty`).
    pub fn parse(kind: &str) -> Option<WidgetKind> {
        match kind {
            "loyalty" => Some(WidgetKind::Loyalty),
            _ => None,
        }
    }

    /// The kind's name as used in event names and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            WidgetKind::Loyalty => "loyalty",
        }
    }
}

/// Renders the widget of `kind`; called inside the mount's reactive owner with the
/// [`crate::embed::WidgetContext`] provided.
pub fn render(kind: WidgetKind) -> impl leptos::IntoView {
    match kind {
        WidgetKind::Loyalty => loyalty::LoyaltyWidget(),
    }
}

/// The widget's own stylesheet, adopted after the base sheet.
pub fn css(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Loyalty => loyalty::CSS,
    }
}
