//! Puts a lesson's sequence diagram on the page, and saves it.
//!
//! The SVG text goes into the page as it is (`innerHTML`: its labels are
//! escaped by [`svg::render`]); saving hands the same text to the browser
//! as a file.

use super::{Diagram, svg};
use crate::dom::{self, El, el};
use crate::i18n::Texts;
use crate::steps::LessonId;
use crate::steps::view::id;

/// The lesson's diagram section: a title, the picture, a save button.
pub fn section(lesson: LessonId, texts: &Texts) -> El {
    el("section").class("diagram").attr("aria-labelledby", &id(lesson, "diagram-title")).children([
        el("h3").id(&id(lesson, "diagram-title")).text(texts.diagram_title),
        el("div").id(&id(lesson, "diagram")).class("picture"),
        el("button").id(&id(lesson, "save-diagram")).action("save-diagram", None).text(texts.save_diagram),
    ])
}

/// Draws the diagram into its place.
pub fn draw(lesson: LessonId, diagram: &Diagram, texts: &Texts) {
    if let Some(place) = dom::document().get_element_by_id(&id(lesson, "diagram")) {
        place.set_inner_html(&svg::render(diagram, &id(lesson, "svg"), texts.diagram_title));
    }
}

/// Saves the diagram on show as `<lesson>-sequence.svg`.
pub fn save(lesson: LessonId) -> Option<crate::files::ObjectUrl> {
    let picture = dom::document().get_element_by_id(&id(lesson, "diagram"))?.inner_html();
    crate::files::download(picture.as_bytes(), &format!("{}-sequence.svg", lesson.name()))
}
