//! Charts drawn as SVG by the app (no chart library: the dashboard stays small). The
//! geometry is pure and tested natively; the components only place it.

use comeback_core::dashboard::TrendPoint;
use leptos::prelude::*;

/// Width of a chart's drawing, in SVG units (it scales to its box).
const WIDTH: f64 = 600.0;
/// Height of a chart's drawing.
const HEIGHT: f64 = 160.0;
/// Room left under the bars for the week labels.
const LABELS: f64 = 18.0;

/// One bar of a bar chart, in SVG units.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// Bars for `values` across `width` × `height`, the tallest touching the top; a gap of a
/// fifth of each slot between bars. Negative values are drawn as 0.
pub fn bars(values: &[f64], width: f64, height: f64) -> Vec<Bar> {
    if values.is_empty() {
        return Vec::new();
    }
    let top = values.iter().copied().fold(0.0_f64, f64::max);
    let slot = width / values.len() as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let bar_height = if top > 0.0 {
                value.max(0.0) / top * height
            } else {
                0.0
            };
            Bar {
                x: i as f64 * slot + slot * 0.1,
                y: height - bar_height,
                width: slot * 0.8,
                height: bar_height,
            }
        })
        .collect()
}

/// The SVG path through `values` (`None`: no data that week, the line breaks) scaled
/// from `[low, high]` to the drawing's height, one point per slot centre.
pub fn line(values: &[Option<f64>], low: f64, high: f64, width: f64, height: f64) -> String {
    let slot = width / values.len().max(1) as f64;
    let span = if high > low { high - low } else { 1.0 };
    let mut path = String::new();
    let mut drawing = false;
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(value) => {
                let x = i as f64 * slot + slot / 2.0;
                let y = height - (value.clamp(low, high) - low) / span * height;
                path.push_str(&format!(
                    "{}{x:.1} {y:.1} ",
                    if drawing { "L" } else { "M" }
                ));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    path.trim_end().to_owned()
}

/// The label under a week's bar: its Monday as `MM-DD`.
fn week_label(start: &str) -> String {
    start.get(5..).unwrap_or(start).to_owned()
}

/// Every `step`-th label is written, so labels never overlap.
fn label_step(points: usize) -> usize {
    points.div_ceil(12).max(1)
}

/// A weekly bar chart of counts, with the figures in a table for screen readers.
#[component]
pub fn WeeklyBars(
    /// What the chart shows, its accessible name.
    title: String,
    /// The weeks.
    points: Vec<TrendPoint>,
) -> impl IntoView {
    let values: Vec<f64> = points.iter().map(|point| point.value).collect();
    let geometry = bars(&values, WIDTH, HEIGHT - LABELS);
    let step = label_step(points.len());
    let drawn = geometry
        .into_iter()
        .zip(points.iter())
        .enumerate()
        .map(|(i, (bar, point))| {
            let label = i.is_multiple_of(step).then(|| week_label(&point.start));
            let centre = bar.x + bar.width / 2.0;
            view! {
                <rect class="bar" x=bar.x y=bar.y width=bar.width height=bar.height>
                    <title>{format!("{}: {}", point.start, point.value)}</title>
                </rect>
                {label.map(|label| view! {
                    <text class="axis" x=centre y=HEIGHT - 4.0 text-anchor="middle">{label}</text>
                })}
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title.clone()>
                {drawn}
            </svg>
            <DataTable title points/>
        </figure>
    }
}

/// A weekly line of scores between `low` and `high` (NPS from −100 to 100, CSAT from 0
/// to 1), weeks without answers left as gaps.
#[component]
pub fn WeeklyLine(
    /// What the chart shows, its accessible name.
    title: String,
    /// The weeks.
    points: Vec<TrendPoint>,
    /// Bottom of the scale.
    low: f64,
    /// Top of the scale.
    high: f64,
) -> impl IntoView {
    let values: Vec<Option<f64>> = points
        .iter()
        .map(|point| (point.count > 0).then_some(point.value))
        .collect();
    let height = HEIGHT - LABELS;
    let path = line(&values, low, high, WIDTH, height);
    let zero = (low < 0.0 && high > 0.0).then(|| height - (0.0 - low) / (high - low) * height);
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title.clone()>
                {zero.map(|y| view! { <line class="zero" x1="0" x2=WIDTH y1=y y2=y/> })}
                <path class="line" d=path/>
            </svg>
            <DataTable title points/>
        </figure>
    }
}

/// The figures behind a chart, folded away under the chart.
#[component]
fn DataTable(title: String, points: Vec<TrendPoint>) -> impl IntoView {
    view! {
        <details class="data">
            <summary>{format!("{title}: figures")}</summary>
            <table>
                <thead><tr><th>"Week of"</th><th>"Value"</th><th>"Based on"</th></tr></thead>
                <tbody>
                    {points.into_iter().map(|point| view! {
                        <tr>
                            <td>{point.start}</td>
                            <td>{format!("{:.1}", point.value)}</td>
                            <td>{point.count}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tallest_bar_fills_the_height() {
        let drawn = bars(&[1.0, 4.0, 0.0, -2.0], 400.0, 100.0);
        assert_eq!(drawn.len(), 4);
        assert_eq!(drawn[1].height, 100.0);
        assert_eq!(drawn[1].y, 0.0);
        assert_eq!(drawn[0].height, 25.0);
        assert_eq!(drawn[0].y, 75.0);
        assert_eq!(drawn[2].height, 0.0);
        assert_eq!(drawn[3].height, 0.0);
        assert_eq!(drawn[0].x, 10.0);
        assert_eq!(drawn[0].width, 80.0);
        assert!(bars(&[], 400.0, 100.0).is_empty());
        assert!(bars(&[0.0, 0.0], 400.0, 100.0)
            .iter()
            .all(|bar| bar.height == 0.0));
    }

    #[test]
    fn a_line_breaks_where_a_week_has_no_data() {
        let path = line(
            &[Some(0.0), Some(100.0), None, Some(-100.0)],
            -100.0,
            100.0,
            400.0,
            100.0,
        );
        assert_eq!(path, "M50.0 50.0 L150.0 0.0 M350.0 100.0");
        assert_eq!(line(&[], 0.0, 1.0, 400.0, 100.0), "");
    }

    #[test]
    fn labels_never_crowd() {
        assert_eq!(label_step(5), 1);
        assert_eq!(label_step(12), 1);
        assert_eq!(label_step(53), 5);
        assert_eq!(week_label("2026-11-30"), "11-30");
    }
}
