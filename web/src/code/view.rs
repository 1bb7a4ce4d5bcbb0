//! Draws a client's program beside its steps, with the current step's
//! line lit up.
//!
//! Two buttons choose the language (the choice holds for the whole page);
//! the listing is a `<pre>` with a line per `<span>`. Lines of steps that
//! have run are marked `done`; the lines of the step that runs, or runs
//! next, are `current` (and `aria-current="step"`, for screen readers).

use super::{Language, listing};
use crate::dom::{El, el, replace};
use crate::i18n::Texts;
use crate::steps::Track;
use crate::steps::Walkthrough;
use crate::steps::plan::StepState;
use crate::steps::view::track_id;

/// The place for a client's listing: the language buttons and the code.
/// `owner` is the id of the client's title, when the lesson has several:
/// it names the section with the client's title (each section's name
/// must be its own).
pub fn section(track: Track, owner: Option<&str>, texts: &Texts) -> El {
    let title = track_id(track, "code-title");
    let name = owner.map_or(title.clone(), |owner| format!("{owner} {title}"));
    el("section").class("code").attr("aria-labelledby", &name).children([
        el("h3").id(&title).text(texts.code_title),
        el("div").id(&track_id(track, "code-languages")).class("choice").attr("role", "group"),
        el("pre").id(&track_id(track, "code")).attr("tabindex", "0"),
    ])
}

/// Redraws the listing of the client's program in `language`.
pub fn draw(track: Track, walk: &Walkthrough, language: Language, texts: &Texts) {
    let Some(plan) = &walk.plan else { return };
    let buttons = Language::ALL.into_iter().enumerate().map(|(index, choice)| {
        el("button")
            .id(&track_id(track, &format!("code-{}", choice.name())))
            .action("code-language", Some(index))
            .attr("aria-pressed", if choice == language { "true" } else { "false" })
            .text(choice.title())
    });
    replace(&track_id(track, "code-languages"), buttons);
    let current = plan.steps.iter().position(|step| step.state == StepState::Running).or_else(|| plan.next());
    let calls: Vec<_> = plan.steps.iter().map(|step| step.call.clone()).collect();
    let lines = listing(language, &calls).into_iter().map(|line| {
        let done = line
            .steps
            .clone()
            .any(|index| plan.steps.get(index).is_some_and(|step| matches!(step.state, StepState::Done(_))));
        let span = match current.is_some_and(|index| line.marks(index)) {
            true => el("span").class("line current").attr("aria-current", "step"),
            false => el("span").class(if done { "line done" } else { "line" }),
        };
        span.text(&format!("{}\n", line.text))
    });
    replace(
        &track_id(track, "code"),
        [el("code").class(language.name()).attr("aria-label", texts.code_title).children(lines)],
    );
}
