//! The launcher's decisions, free of the DOM: which tabs it shows, where it sits, and
//! how far it moves up so it never covers the page's own checkout buttons.

use crate::widgets::WidgetKind;

/// A tab of the panel: a widget the registry gives a `tab`.
pub type Tab = WidgetKind;

/// The tab's name in `tabs`, `open`, `Comeback.open(name)` and its element ids.
pub fn tab_name(tab: Tab) -> &'static str {
    tab.tab().unwrap_or(tab.as_str())
}

/// The widget whose tab is called `name` (any case).
pub fn tab_named(name: &str) -> Option<Tab> {
    let name = name.trim().to_ascii_lowercase();
    WidgetKind::ALL
        .iter()
        .copied()
        .find(|kind| kind.tab() == Some(name.as_str()))
}

/// The tabs named in the `tabs` attribute (comma or space separated), in that order,
/// each once; the tabs shown by default, in registry order, when the attribute is absent
/// or names none this build has.
pub fn tabs(attr: Option<&str>) -> Vec<Tab> {
    let mut chosen = Vec::new();
    for tab in attr
        .unwrap_or_default()
        .split([',', ' '])
        .filter_map(tab_named)
    {
        if !chosen.contains(&tab) {
            chosen.push(tab);
        }
    }
    if chosen.is_empty() {
        chosen = WidgetKind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.tab().is_some() && kind.tab_by_default())
            .collect();
    }
    chosen
}

/// The tab to open for `open` (an attribute or `Comeback.open` argument): the named
/// tab when shown, else the first one.
pub fn tab_to_open(open: &str, shown: &[Tab]) -> Option<Tab> {
    tab_named(open)
        .filter(|tab| shown.contains(tab))
        .or_else(|| shown.first().copied())
}

/// The tab a key moves to from `current` in a tab list of `count` (arrows wrap, Home
/// and End jump); `None` for other keys.
pub fn tab_after_key(key: &str, current: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    match key {
        "ArrowRight" | "ArrowDown" => Some((current + 1) % count),
        "ArrowLeft" | "ArrowUp" => Some((current + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}

/// A box on the screen, in CSS pixels from the viewport's top left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Rect {
    fn is_empty(self) -> bool {
        self.right <= self.left || self.bottom <= self.top
    }

    fn overlaps(self, other: Rect, gap: f64) -> bool {
        self.left < other.right + gap
            && other.left < self.right + gap
            && self.top < other.bottom + gap
            && other.top < self.bottom + gap
    }

    fn raised(self, by: f64) -> Rect {
        Rect {
            top: self.top - by,
            bottom: self.bottom - by,
            ..self
        }
    }
}

/// Space kept between the button and what it avoids, in CSS pixels.
pub const GAP: f64 = 12.0;

/// How far (CSS pixels, at least 0) to raise a button whose unraised box is `button` so
/// that it overlaps none of `obstacles`, never above the top of a viewport of height
/// `viewport`: it climbs over each obstacle it meets until the way is clear.
pub fn lift(button: Rect, obstacles: &[Rect], viewport: f64) -> f64 {
    let most = (button.top - GAP).max(0.0);
    let mut lift: f64 = 0.0;
    // Each pass clears at least one obstacle, so there are at most as many passes.
    for _ in 0..=obstacles.len() {
        let at = button.raised(lift);
        let blocking = obstacles
            .iter()
            .filter(|o| !o.is_empty() && o.top < viewport && o.bottom > 0.0)
            .filter(|o| at.overlaps(**o, GAP))
            .map(|o| button.bottom - o.top + GAP)
            .fold(None, |high: Option<f64>, need| {
                Some(high.map_or(need, |h| h.max(need)))
            });
        match blocking {
            Some(need) if need > lift => lift = need,
            _ => break,
        }
    }
    lift.min(most).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(left: f64, top: f64, right: f64, bottom: f64) -> Rect {
        Rect {
            left,
            top,
            right,
            bottom,
        }
    }

    #[test]
    fn tabs_follow_the_attribute_once_each_and_default_to_all() {
        let rewards = WidgetKind::Loyalty;
        let help = WidgetKind::Help;
        // Help is shown only where the shop asks for it.
        assert_eq!(tabs(None), vec![rewards]);
        assert_eq!(tabs(Some("help rewards")), vec![help, rewards]);
        assert_eq!(tab_to_open("help", &[rewards, help]), Some(help));
        assert_eq!(tabs(Some("rewards, rewards")), vec![rewards]);
        assert_eq!(tabs(Some("quiz")), vec![rewards]);
        // The launcher is a widget but no tab of its own panel.
        assert_eq!(tabs(Some("launcher")), vec![rewards]);
        assert_eq!(tab_to_open("REWARDS", &[rewards]), Some(rewards));
        assert_eq!(tab_to_open("nope", &[rewards]), Some(rewards));
        assert_eq!(tab_to_open("rewards", &[]), None);
    }

    #[test]
    fn arrow_keys_wrap_and_home_end_jump() {
        assert_eq!(tab_after_key("ArrowRight", 2, 3), Some(0));
        assert_eq!(tab_after_key("ArrowLeft", 0, 3), Some(2));
        assert_eq!(tab_after_key("End", 0, 3), Some(2));
        assert_eq!(tab_after_key("Home", 2, 3), Some(0));
        assert_eq!(tab_after_key("Enter", 0, 3), None);
        assert_eq!(tab_after_key("ArrowRight", 0, 0), None);
    }

    #[test]
    fn a_clear_way_needs_no_lift() {
        let button = rect(300.0, 760.0, 370.0, 810.0);
        assert_eq!(lift(button, &[], 844.0), 0.0);
        let far_left = rect(0.0, 760.0, 100.0, 844.0);
        assert_eq!(lift(button, &[far_left], 844.0), 0.0);
    }

    #[test]
    fn the_button_climbs_over_a_checkout_bar() {
        let button = rect(300.0, 760.0, 370.0, 810.0);
        let bar = rect(0.0, 780.0, 390.0, 844.0);
        let raised = lift(button, &[bar], 844.0);
        assert_eq!(raised, 810.0 - 780.0 + GAP);
        assert!(!button.raised(raised).overlaps(bar, GAP - 0.5));
    }

    #[test]
    fn stacked_obstacles_are_all_cleared() {
        let button = rect(300.0, 760.0, 370.0, 810.0);
        let bar = rect(0.0, 780.0, 390.0, 844.0);
        let above = rect(280.0, 700.0, 390.0, 760.0);
        let raised = lift(button, &[bar, above], 844.0);
        let at = button.raised(raised);
        assert!(
            !at.overlaps(bar, 0.0) && !at.overlaps(above, 0.0),
            "{raised}"
        );
    }

    #[test]
    fn the_button_never_leaves_the_screen_and_ignores_hidden_things() {
        let button = rect(300.0, 760.0, 370.0, 810.0);
        let wall = rect(0.0, 0.0, 390.0, 844.0);
        assert_eq!(lift(button, &[wall], 844.0), 760.0 - GAP);
        let hidden = rect(300.0, 780.0, 300.0, 844.0);
        let offscreen = rect(300.0, 900.0, 390.0, 950.0);
        assert_eq!(lift(button, &[hidden, offscreen], 844.0), 0.0);
    }
}
