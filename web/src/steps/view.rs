//! Draws a lesson's steps: each call as a button with its line of Python,
//! the inputs to edit it, and what it returned.
//!
//! Every element a lesson draws has an id that starts with the lesson's
//! name (`http-step-2`, `hello-port-1`), and with the client's number for
//! a second client (`hello2-step-2`), so everything lives on one page.
//! Buttons carry `data-action` and `data-index`; the lesson's section
//! carries `data-lesson`, a client's part `data-client`: the page's one
//! click listener reads them.

use protocol::ErrorKind;

use super::call::{Call, Field, Outcome};
use super::plan::{Plan, Step, StepState};
use super::{LessonId, Track, Walkthrough};
use crate::bridge::CallError;
use crate::bytes_view::{hex_dump, python_repr};
use crate::code::explain;
use crate::dom::{El, el, replace};
use crate::i18n::{Texts, fill};

/// The inputs a lesson gives a step that can still be edited.
pub type Editors<'a> = &'a dyn Fn(usize, &Step) -> Vec<El>;

/// Redraws the steps into `#<track>-steps`, and the buttons that depend on them.
pub fn draw_steps(track: Track, walk: &Walkthrough, texts: &Texts, editors: Editors) {
    let Some(plan) = &walk.plan else { return };
    let next = plan.next();
    let steps = plan.steps.iter().enumerate().map(|(index, step)| {
        let runnable = Some(index) == next && !walk.busy;
        let item = step_item(track, index, step, runnable, texts);
        let item = match step.state.editable() {
            true => item.children(editors(index, step)),
            false => item,
        };
        item.child(result(index, plan, Some(index) == next, texts))
    });
    replace(&track_id(track, "steps"), steps);
    set_disabled(&track_id(track, "run-all"), next.is_none() || walk.busy);
}

/// The connection's 4-tuple (or that there is none yet), and a notice when
/// the relay restarted under the lesson or when every step has run
/// (`finished` says so in the lesson's words).
pub fn draw_connection(track: Track, walk: &Walkthrough, texts: &Texts, finished: &str) {
    let Some(plan) = &walk.plan else { return };
    let tuple = match plan.four_tuple() {
        Some((local, peer)) => format!("{}: ({local}) ⇄ ({peer})", texts.four_tuple),
        None => format!("{}: {}", texts.four_tuple, texts.not_connected),
    };
    replace(&track_id(track, "tuple"), [el("span").text(&tuple)]);
    let notice = match (walk.stale, plan.finished()) {
        (true, _) => Some(texts.relay_restarted),
        (false, true) => Some(finished),
        (false, false) => None,
    };
    replace(&track_id(track, "notice"), notice.map(|text| el("span").text(text)));
}

/// A live region, not shown, where the page says what each step did: a
/// screen reader reads it out as the step ends.
pub fn announcer(lesson: LessonId) -> El {
    el("p").id(&id(lesson, "announce")).class("visually-hidden").attr("aria-live", "polite")
}

/// `<lesson>-<part>`: the id of one of a lesson's elements.
pub fn id(lesson: LessonId, part: &str) -> String {
    format!("{}-{part}", lesson.name())
}

/// `<lesson><client>-<part>`: the id of one of a client's elements.
pub fn track_id(track: Track, part: &str) -> String {
    format!("{}-{part}", track.prefix())
}

/// An input for one field of step `index`.
pub fn input(track: Track, index: usize, field: Field, value: &str, label: &str) -> El {
    let tag = if field == Field::Request { "textarea" } else { "input" };
    let input = el(tag)
        .id(&track_id(track, &format!("{}-{index}", field.name())))
        .class(field.name())
        .attr("data-index", &index.to_string())
        .attr("data-field", field.name())
        .attr("aria-label", label)
        .attr("spellcheck", "false");
    match field {
        // A text box shows line breaks as `\n`; the plan holds `\r\n`.
        Field::Request => input.attr("rows", "6").text(&value.replace("\r\n", "\n")),
        _ => input.attr("value", value),
    }
}

/// The host and port inputs of `connect`.
pub fn address_inputs(track: Track, index: usize, call: &Call, texts: &Texts) -> Vec<El> {
    match call {
        Call::Connect { host, port } => vec![
            input(track, index, Field::Host, host, texts.host),
            input(track, index, Field::Port, port, texts.port),
        ],
        _ => Vec::new(),
    }
}

fn step_item(track: Track, index: usize, step: &Step, runnable: bool, texts: &Texts) -> El {
    let state = match step.state {
        StepState::Ready => "ready",
        StepState::Running => "running",
        StepState::Done(_) => "done",
        StepState::Failed(_) => "failed",
    };
    let button = el("button")
        .class("call")
        .id(&track_id(track, &format!("step-{index}")))
        .action("run", Some(index))
        .flag("disabled", !runnable)
        .children([
            el("span").class("number").text(&(index + 1).to_string()),
            el("code").text(&step.call.python()),
        ]);
    let item = el("li").class(&format!("step {state}")).child(button);
    match step.call {
        // The receive loop can also let the relay loop by itself.
        Call::RecvLoop { .. } => item.child(
            el("button")
                .class("stream")
                .id(&track_id(track, "stream"))
                .action("stream", Some(index))
                .flag("disabled", !runnable)
                .text(texts.stream_rest),
        ),
        _ => item,
    }
}

/// What step `index` returned, or why it failed; and what the kernel did
/// (or, for the step that runs next, will do).
fn result(index: usize, plan: &Plan, next: bool, texts: &Texts) -> El {
    let step = &plan.steps[index];
    let explained = match (&step.state, next) {
        (StepState::Done(_) | StepState::Running, _) | (_, true) => explain(plan, index, texts.lang),
        _ => None,
    };
    let out = el("div").class("result");
    let resolved = match (&step.call, plan.resolved.is_empty()) {
        (Call::Connect { host, .. }, false) => {
            let addresses: Vec<String> = plan.resolved.iter().map(ToString::to_string).collect();
            Some(el("p").text(&fill(texts.resolved, &[host, &addresses.join(", ")])))
        }
        _ => None,
    };
    let out = out.children(resolved.filter(|_| step.state != StepState::Ready));
    let looped = match (&step.call, plan.received.chunks()) {
        (Call::RecvLoop { .. }, chunks) if chunks > 0 => {
            Some(el("p").text(&fill(texts.chunks_so_far, &[&chunks, &plan.received.data.len()])))
        }
        _ => None,
    };
    let out = out.children(looped.filter(|_| !matches!(step.state, StepState::Done(_))));
    let out = match &step.state {
        StepState::Ready => out,
        StepState::Running => out.child(el("p").class("running").text(texts.running)),
        StepState::Failed(CallError::RelayGone) => {
            out.child(el("p").class("error").text(texts.relay_gone_call))
        }
        StepState::Failed(error) => {
            let (kind, message) = failure(error, texts);
            out.child(el("p").class("error").text(&fill(texts.call_failed, &[&kind, &message])))
        }
        StepState::Done(outcome) => out.children(outcome_view(&step.call, outcome, texts)),
    };
    out.children(explained.map(|text| el("p").class("explain").text(&text)))
}

/// A failed call: the error's name (Python's, or the relay's own, as
/// `ProtocolError`), and what went wrong, in the learner's language. What
/// the relay said (`[Errno 111] Connection refused`) is kept as it said it.
pub fn failure(error: &CallError, texts: &Texts) -> (&'static str, String) {
    let protocol = ErrorKind::ProtocolError.python_name();
    match error {
        CallError::Failed(error) => (error.kind.python_name(), error.message.clone()),
        CallError::Unexpected(name) => (protocol, fill(texts.unexpected_answer, &[name])),
        CallError::ChunksLost { read, arrived } => (protocol, fill(texts.chunks_lost, &[read, arrived])),
        CallError::RelayGone => ("RelayGone", texts.relay_gone_call.to_owned()),
    }
}

fn outcome_view(call: &Call, outcome: &Outcome, texts: &Texts) -> Vec<El> {
    let line = |text: String| el("p").text(&text);
    match outcome {
        Outcome::Created { socket } => vec![line(fill(texts.created, &[socket]))],
        Outcome::Connected { local, peer } => vec![line(fill(texts.connected, &[local, peer]))],
        Outcome::Sent { bytes, of } => {
            let data = match call {
                Call::Send { text, .. } => text.as_bytes(),
                _ => &[],
            };
            vec![line(fill(texts.sent, &[bytes, of])), bytes_details(data, texts)]
        }
        Outcome::Received { data } if data.is_empty() => vec![line(texts.received_nothing.to_owned())],
        Outcome::Received { data } => vec![
            el("p").child(el("code").class("bytes").text(&python_repr(data))),
            line(fill(texts.received, &[&data.len()])),
            bytes_details(data, texts),
        ],
        Outcome::Drained { chunks, bytes } => {
            vec![line(fill(texts.drained, &[chunks, bytes])), line(texts.received_nothing.to_owned())]
        }
        Outcome::Closed => vec![line(texts.closed.to_owned())],
    }
}

/// The bytes as a hex dump, folded away until asked for.
pub fn bytes_details(data: &[u8], texts: &Texts) -> El {
    el("details").class("hex").children([
        el("summary").text(&format!("{} ({})", texts.bytes, data.len())),
        el("pre").text(&hex_dump(data)),
    ])
}

pub fn set_disabled(id: &str, disabled: bool) {
    if let Some(element) = crate::dom::document().get_element_by_id(id) {
        let _ = match disabled {
            true => element.set_attribute("disabled", ""),
            false => element.remove_attribute("disabled"),
        };
    }
}
