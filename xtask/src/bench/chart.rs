//! `docs/benchmarks.svg`: the bridges' figures as bar charts, written by
//! hand (an SVG is text: rectangles, lines of text, a few attributes).
//!
//! Two panels, one above the other, a row per route: the bulk rate
//! (longer is better), then the round trip's p50 and p99 (shorter is
//! better). The relay's bars are coloured, the others grey, so the eye
//! finds it at once. Each panel has its own linear scale from zero.

use std::fmt::Write as _;

use super::results::{Results, Rtt, Way};

const WIDTH: f64 = 760.0;
/// Where bars start: the route names sit to their left.
const LEFT: f64 = 120.0;
/// Room to the right of the longest bar for its figure.
const RIGHT: f64 = 110.0;
const BAR: f64 = 22.0;
const THIN: f64 = 11.0;
const GAP: f64 = 8.0;
const TITLE: f64 = 34.0;

/// The chart of a run, as an SVG document.
pub fn svg(results: &Results) -> String {
    let mut body = String::new();
    let mut y = 0.0;
    let bulk: Vec<(Way, Option<f64>)> =
        Way::ALL.iter().map(|way| (*way, results.bulk.get(*way).map(|bulk| bulk.rate.median))).collect();
    let title =
        format!("Bulk: {} MiB from a TCP server, MB/s (higher is better)", results.settings.bulk_bytes >> 20);
    y = panel(
        &mut body,
        y,
        &title,
        &[("", 1.0)],
        &bulk.iter().map(|(way, rate)| (*way, vec![*rate])).collect::<Vec<_>>(),
    );
    let rtt: Vec<(Way, Vec<Option<f64>>)> = Way::ALL
        .iter()
        .map(|way| {
            let (rtt, one_core) = (results.rtt.get(*way), results.rtt_one_core.get(*way));
            let p50 = |rtt: &Rtt| rtt.p50.median;
            (*way, vec![rtt.map(p50), rtt.map(|rtt| rtt.p99.median), one_core.map(p50)])
        })
        .collect();
    let title = format!(
        "Round trip: {} small exchanges, µs (shorter is better)",
        super::results::thousands(results.settings.exchanges as usize)
    );
    let series = [("p50", 1.0), ("p99", 0.45), ("p50, one CPU", 0.7)];
    y = panel(&mut body, y + 16.0, &title, &series, &rtt);
    let height = y + 12.0;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} \
         {height}\" font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" \
         fill=\"white\"/>\n{body}</svg>\n"
    )
}

/// Draws one panel from `top`: a title, then for each route a group of
/// bars, one per series (`series` names them and gives their opacity).
/// Returns where the panel ends.
fn panel(
    out: &mut String,
    top: f64,
    title: &str,
    series: &[(&str, f64)],
    rows: &[(Way, Vec<Option<f64>>)],
) -> f64 {
    let _ = writeln!(out, "<text x=\"8\" y=\"{}\" font-weight=\"bold\">{}</text>", top + 22.0, escape(title));
    let max = rows.iter().flat_map(|(_, values)| values.iter().flatten()).fold(0.0_f64, |max, v| max.max(*v));
    let span = WIDTH - LEFT - RIGHT;
    let thick = if series.len() == 1 { BAR } else { THIN };
    let mut y = top + TITLE;
    for (way, values) in rows {
        let group = thick * values.len() as f64;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LEFT - 8.0,
            y + group / 2.0 + 4.5,
            escape(way.label())
        );
        for ((name, opacity), value) in series.iter().zip(values) {
            let label = if name.is_empty() { String::new() } else { format!("{name} ") };
            match value {
                Some(value) => {
                    let length = if max > 0.0 { value / max * span } else { 0.0 };
                    let _ = writeln!(
                        out,
                        "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{length:.1}\" height=\"{:.1}\" fill=\"{}\" \
                         fill-opacity=\"{opacity}\"/>",
                        thick - 1.0,
                        colour(*way)
                    );
                    let _ = writeln!(
                        out,
                        "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{label}{}</text>",
                        LEFT + length + 5.0,
                        y + thick - 2.5,
                        figure(*value)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "<text x=\"{LEFT}\" y=\"{}\" font-size=\"11\" fill=\"#888\">{label}not measured</text>",
                        y + thick - 2.5
                    );
                }
            }
            y += thick;
        }
        y += GAP;
    }
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{LEFT}\" y2=\"{}\" stroke=\"#444\"/>",
        top + TITLE - 4.0,
        y - GAP + 4.0
    );
    y
}

/// The relay in colour, the others in grey.
fn colour(way: Way) -> &'static str {
    match way {
        Way::Relay => "#d9480f",
        Way::Direct => "#495057",
        Way::Websocat | Way::Websockify => "#868e96",
    }
}

/// A figure with as many decimals as it deserves.
fn figure(value: f64) -> String {
    if value >= 100.0 { format!("{value:.0}") } else { format!("{value:.1}") }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a < b & c"), "a &lt; b &amp; c");
    }

    #[test]
    fn figures_keep_sensible_decimals() {
        assert_eq!(figure(1234.56), "1235");
        assert_eq!(figure(41.26), "41.3");
    }
}
