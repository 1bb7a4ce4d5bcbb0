//! Draws the address panel.
//!
//! The section, with its input, its examples and its explanations, is built
//! once per language ([`section`]). What the input holds is then shown under
//! it at every keystroke ([`draw`]), which redraws only the output: the input
//! itself is left alone, so the caret stays where the learner put it.

use std::net::IpAddr;

use super::model;
use super::parse::{self, AddressError, Problem};
use super::{AddressPanel, EXAMPLES};
use crate::dom::{El, el, replace};
use crate::i18n::{Texts, fill, line};

/// The section's id, and the panel's name in `?lesson=`.
pub const SECTION: &str = "address";
/// The input's id.
pub const INPUT: &str = "address-input";
/// The action of a button that puts its `data-value` into the input.
pub const FILL: &str = "address-fill";

/// The panel's section: the input, the examples, an empty place for the
/// output, and the explanations.
pub fn section(panel: &AddressPanel, texts: &Texts) -> El {
    let examples = EXAMPLES.iter().map(|example| fill_button(example, example));
    let input = el("input").id(INPUT).attr("value", &panel.text).attr("spellcheck", "false");
    el("section").id(SECTION).class("lesson").attr("aria-labelledby", "address-title").children([
        el("h2").id("address-title").text(texts.address_title),
        el("p").class("entry").children([el("label").attr("for", INPUT).text(texts.address_label), input]),
        el("div")
            .class("controls")
            .attr("role", "group")
            .attr("aria-labelledby", "address-examples")
            .child(el("span").id("address-examples").text(texts.address_examples))
            .children(examples),
        el("div").id("address-output").attr("aria-live", "polite"),
        el("div").class("explain").children([
            el("h3").text(texts.spellings_title),
            el("p").text(texts.spellings),
            el("h3").text(texts.bind_title),
            el("p").text(texts.bind),
        ]),
    ])
}

/// Shows what the input holds: the address in all its forms, or what is wrong.
pub fn draw(panel: &AddressPanel, texts: &Texts) {
    let mut rows = Vec::new();
    let message = match parse::read(&panel.text) {
        Ok(address) => {
            facts(address, texts, &mut rows);
            None
        }
        Err(error) => {
            let class = if error.problem == Problem::Empty { "hint" } else { "error" };
            Some(el("p").id("address-message").class(class).text(&error_text(&error, texts)))
        }
    };
    replace("address-output", message.into_iter().chain([el("dl").children(rows)]));
}

/// Adds a row for each form of the address, and what it is.
fn facts(address: IpAddr, texts: &Texts, rows: &mut Vec<El>) {
    match address {
        IpAddr::V4(v4) => {
            let mapped = v4.to_ipv6_mapped().to_string();
            row(rows, "address-dotted", texts.row_dotted, &v4.to_string(), None);
            row(rows, "address-integer", texts.row_integer, &u32::from(v4).to_string(), None);
            row(rows, "address-hex", texts.row_hex, &model::v4_hex(v4), None);
            row(rows, "address-bits", texts.row_bits, &model::v4_bits(v4), None);
            row(rows, "address-kind", texts.row_kind, "", Some(para(&v4_kind_text(v4, texts))));
            row(rows, "address-mapped", texts.row_mapped, &mapped, Some(examine(&mapped, texts)));
        }
        IpAddr::V6(v6) => {
            row(rows, "address-compressed", texts.row_compressed, &v6.to_string(), None);
            row(rows, "address-expanded", texts.row_expanded, &model::expanded(v6), None);
            row(rows, "address-integer", texts.row_integer, &u128::from(v6).to_string(), None);
            row(rows, "address-hex", texts.row_hex, &model::v6_hex(v6), None);
            row(rows, "address-bits", texts.row_bits, &model::v6_bits(v6), None);
            let (kind, block) = model::v6_kind(v6);
            let kind = para(&fill(line(texts.v6_kinds, kind as usize), &[&block]));
            row(rows, "address-kind", texts.row_kind, "", Some(kind));
            if let Some(v4) = v6.to_ipv4_mapped() {
                let carried = v4.to_string();
                let more = el("div").children([examine(&carried, texts), para(&v4_kind_text(v4, texts))]);
                row(rows, "address-carries", texts.row_carries, &carried, Some(more));
            }
        }
    }
}

/// A term and its description, with the id `id`: `value` as code (unless
/// empty), then `more`.
fn row(rows: &mut Vec<El>, id: &str, label: &str, value: &str, more: Option<El>) {
    rows.push(el("dt").text(label));
    let value = (!value.is_empty()).then(|| code(value));
    rows.push(el("dd").id(id).children(value).children(more));
}

/// Code; several lines (the bits) keep their line breaks.
fn code(text: &str) -> El {
    el(if text.contains('\n') { "pre" } else { "code" }).text(text)
}

fn para(text: &str) -> El {
    el("p").text(text)
}

/// A button that puts `value` into the input.
fn fill_button(label: &str, value: &str) -> El {
    el("button").action(FILL, None).attr("data-value", value).text(label)
}

/// The button that shows the other form of the address (IPv4 in IPv6, or
/// the IPv4 inside). The output is redrawn with the other form, which has
/// this button too, under the same id: it keeps the keyboard's focus.
fn examine(value: &str, texts: &Texts) -> El {
    fill_button(texts.look, value).id("address-examine")
}

fn v4_kind_text(v4: std::net::Ipv4Addr, texts: &Texts) -> String {
    let (kind, block) = model::v4_kind(v4);
    fill(line(texts.v4_kinds, kind as usize), &[&block])
}

/// What is wrong, in the learner's language.
pub fn error_text(error: &AddressError, texts: &Texts) -> String {
    fill(line(texts.address_errors, error.problem as usize), &[&error.what])
}
