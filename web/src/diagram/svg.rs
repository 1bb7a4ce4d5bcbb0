//! Draws a [`Diagram`] as SVG text.
//!
//! The text is a complete, self-contained file (its styles inside it), so
//! the page can show it and the learner can save it as it is. Every label
//! may hold bytes a server sent, so all text is escaped for XML.

use std::fmt::Write;

use super::{Diagram, Row};

const LANE_WIDTH: usize = 190;
const MARGIN: usize = 10;
/// Where the first row is drawn, below the lanes' names.
const TOP: usize = 56;
const ROW_HEIGHT: usize = 28;

const STYLE: &str = "text{font:12px system-ui,sans-serif;fill:#1b1f24}\
.name{font-weight:600}.lifeline{stroke:#8c959f;stroke-dasharray:4 4}\
.head{fill:#f6f8fa;stroke:#d0d7de}.arrow{stroke:#1f4e79;stroke-width:1.5}\
.note{fill:#fff8c5;stroke:#d4a72c}";

/// The diagram as an SVG file; `id` keeps its element ids apart from
/// another diagram's on the same page, `title` names it for screen readers.
pub fn render(diagram: &Diagram, id: &str, title: &str) -> String {
    let lanes = diagram.lanes.len().max(1);
    let (width, height) = (MARGIN * 2 + lanes * LANE_WIDTH, TOP + diagram.rows.len() * ROW_HEIGHT + MARGIN);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title><style>{STYLE}</style>"#,
        escape(title)
    );
    let _ = write!(
        out,
        r##"<defs><marker id="{id}-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#1f4e79"/></marker></defs>"##
    );
    for (lane, name) in diagram.lanes.iter().enumerate() {
        let x = center(lane);
        let _ = write!(
            out,
            r#"<line class="lifeline" x1="{x}" y1="36" x2="{x}" y2="{height}"/><rect class="head" x="{}" y="6" width="{}" height="28" rx="4"/><text class="name" x="{x}" y="25" text-anchor="middle">{}</text>"#,
            x - LANE_WIDTH / 2 + 6,
            LANE_WIDTH - 12,
            escape(name)
        );
    }
    for (row, content) in diagram.rows.iter().enumerate() {
        let y = TOP + row * ROW_HEIGHT;
        match content {
            Row::Arrow { from, to, label } => {
                let (x1, x2) = (center(*from), center(*to));
                let _ = write!(
                    out,
                    r##"<line class="arrow" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" marker-end="url(#{id}-head)"/><text x="{}" y="{}" text-anchor="middle">{}</text>"##,
                    (x1 + x2) / 2,
                    y - 5,
                    escape(label)
                );
            }
            Row::Note { lane, label } => {
                let (x, width) = (center(*lane), text_width(label) + 12);
                let _ = write!(
                    out,
                    r#"<rect class="note" x="{}" y="{}" width="{width}" height="20" rx="3"/><text x="{x}" y="{}" text-anchor="middle">{}</text>"#,
                    x - width / 2,
                    y - 14,
                    y,
                    escape(label)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// The x of a lane's lifeline.
fn center(lane: usize) -> usize {
    MARGIN + lane * LANE_WIDTH + LANE_WIDTH / 2
}

/// About how wide `text` is at 12 px: Chinese characters are twice as
/// wide as Latin ones.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| if c >= '\u{1100}' { 12 } else { 7 }).sum()
}

/// Text as XML character data or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 forbids most control characters, even escaped.
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
