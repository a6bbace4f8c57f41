//! One module per widget kind. Each is `mod.rs` (view), `model.rs` (pure logic) and
//! `style.css` (its shadow-root styles).

pub mod launcher;
pub mod loyalty;

/// The widget kinds this bundle can mount, by custom element name without `comeback-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WidgetKind {
    /// `<comeback-loyalty>`: balance, tier, rewards, history.
    Loyalty,
    /// `<comeback-launcher>`: the floating button and the panel of account widgets.
    Launcher,
}

impl WidgetKind {
    /// Parses the kind the loader passes (`loyalty`).
    pub fn parse(kind: &str) -> Option<WidgetKind> {
        match kind {
            "loyalty" => Some(WidgetKind::Loyalty),
            "launcher" => Some(WidgetKind::Launcher),
            _ => None,
        }
    }

    /// The kind's name as used in event names and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            WidgetKind::Loyalty => "loyalty",
            WidgetKind::Launcher => "launcher",
        }
    }
}

/// Renders the widget of `kind`; called inside the mount's reactive owner with the
/// [`crate::embed::WidgetContext`] provided.
pub fn render(kind: WidgetKind) -> leptos::prelude::AnyView {
    use leptos::prelude::IntoAny;
    match kind {
        WidgetKind::Loyalty => loyalty::LoyaltyWidget().into_any(),
        WidgetKind::Launcher => launcher::LauncherWidget().into_any(),
    }
}

/// The widget's own stylesheet, adopted after the base sheet.
pub fn css(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Loyalty => loyalty::CSS,
        WidgetKind::Launcher => launcher::CSS,
    }
}
