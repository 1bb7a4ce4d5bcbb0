//! Draws the Hello lesson from its state.
//!
//! The lesson's section is built once per language ([`section`]); its parts
//! are then redrawn from the state whenever it changes ([`draw`]). Every
//! function here reads state and returns elements: nothing here changes the
//! lesson.

use protocol::ServerInfo;

use super::HelloLesson;
use super::plan::{Call, Field, HelloPlan, Outcome, Step, StepState};
use crate::bridge::CallError;
use crate::bytes_view::{hex_dump, python_repr};
use crate::dom::{El, el, replace};
use crate::i18n::{Texts, fill};

/// The lesson's section, with an empty place for each part.
pub fn section(texts: &Texts) -> El {
    let controls = el("div").class("controls").children([
        el("button").id("run-all").action("run-all", None).text(texts.run_all),
        el("button").id("add-message").action("add-message", None).text(texts.add_message),
        el("button").id("reset").action("reset", None).text(texts.reset),
    ]);
    let client = el("section").class("client").attr("aria-labelledby", "client-title").children([
        el("h3").id("client-title").text(texts.client),
        el("ol").id("hello-steps").class("steps"),
    ]);
    let server = el("section").class("server").attr("aria-labelledby", "server-title").children([
        el("h3").id("server-title").text(texts.server_log),
        el("ol").id("hello-log").class("log"),
    ]);
    let conversation =
        el("section").class("conversation").attr("aria-labelledby", "conversation-title").children([
            el("h3").id("conversation-title").text(texts.conversation),
            el("ol").id("hello-transcript").class("transcript").attr("aria-live", "polite"),
        ]);
    el("section").id("hello").class("lesson").attr("aria-labelledby", "hello-title").children([
        el("h2").id("hello-title").text(texts.hello_title),
        el("p").id("hello-intro").class("intro"),
        controls,
        el("p").id("hello-notice").class("notice").attr("role", "alert"),
        el("p").id("hello-tuple").class("tuple"),
        el("div").class("sides").children([client, server]),
        conversation,
    ])
}

/// Redraws every part of the lesson.
pub fn draw(lesson: &HelloLesson, texts: &Texts) {
    replace("hello-intro", lesson.server.as_ref().map(|server| intro(server, texts)));
    draw_steps(lesson, texts);
    draw_log(lesson, texts);
}

/// Redraws the steps and what depends on their results.
pub fn draw_steps(lesson: &HelloLesson, texts: &Texts) {
    let Some(plan) = &lesson.plan else { return };
    let next = plan.next();
    let messages = message_numbers(plan);
    let steps = plan.steps.iter().enumerate().map(|(index, step)| {
        let runnable = Some(index) == next && !lesson.busy;
        step_item(index, step, plan, runnable, messages[index], texts)
    });
    replace("hello-steps", steps);
    replace(
        "hello-transcript",
        plan.transcript().into_iter().map(|exchange| {
            let (class, direction) = match exchange.sent {
                true => ("sent", texts.client_to_server),
                false => ("received", texts.server_to_client),
            };
            el("li").class(class).children([
                el("span").class("direction").text(direction),
                el("code").class("bytes").text(&python_repr(&exchange.data)),
                el("span").class("size").text(&fill(texts.size, &[&exchange.data.len()])),
            ])
        }),
    );
    let tuple = match plan.four_tuple() {
        Some((local, peer)) => format!("{}: ({local}) ⇄ ({peer})", texts.four_tuple),
        None => format!("{}: {}", texts.four_tuple, texts.not_connected),
    };
    replace("hello-tuple", [el("span").text(&tuple)]);
    let notice = match (lesson.stale, plan.finished()) {
        (true, _) => Some(texts.relay_restarted),
        (false, true) => Some(texts.finished),
        (false, false) => None,
    };
    replace("hello-notice", notice.map(|text| el("span").text(text)));
    for (id, enabled) in [("run-all", next.is_some() && !lesson.busy), ("add-message", !plan.started())] {
        set_disabled(id, !enabled);
    }
}

/// Redraws the server's log for this lesson's connection.
pub fn draw_log(lesson: &HelloLesson, texts: &Texts) {
    let waiting = el("li").class("log-line").text(&format!("[hello-listener] {}", texts.waiting_server));
    let ours = lesson.our_log().map(|line| el("li").class("log-line").text(&line.text()));
    replace("hello-log", std::iter::once(waiting).chain(ours));
}

fn intro(server: &ServerInfo, texts: &Texts) -> El {
    el("span").text(&fill(texts.hello_intro, &[&server.addr, &server.delay_ms]))
}

/// For each step, the number of the message it sends (1, 2, ...), if it is an editable `send`.
fn message_numbers(plan: &HelloPlan) -> Vec<Option<usize>> {
    let mut count = 0;
    plan.steps
        .iter()
        .map(|step| match step.call {
            Call::Send { editable: true, .. } => {
                count += 1;
                Some(count)
            }
            _ => None,
        })
        .collect()
}

fn step_item(
    index: usize,
    step: &Step,
    plan: &HelloPlan,
    runnable: bool,
    message: Option<usize>,
    texts: &Texts,
) -> El {
    let state = match step.state {
        StepState::Ready => "ready",
        StepState::Running => "running",
        StepState::Done(_) => "done",
        StepState::Failed(_) => "failed",
    };
    let button = el("button")
        .class("call")
        .id(&format!("step-{index}"))
        .action("run", Some(index))
        .flag("disabled", !runnable)
        .children([
            el("span").class("number").text(&(index + 1).to_string()),
            el("code").text(&step.call.python()),
        ]);
    let item = el("li").class(&format!("step {state}")).child(button);
    let item = match step.state.editable() {
        true => item.children(editors(index, &step.call, plan, message, texts)),
        false => item,
    };
    item.child(result(step, plan, texts))
}

/// The inputs for what a ready step will say.
fn editors(index: usize, call: &Call, plan: &HelloPlan, message: Option<usize>, texts: &Texts) -> Vec<El> {
    let input = |field: Field, value: &str, label: &str| {
        el("input")
            .id(&format!("{}-{index}", field.name()))
            .class(field.name())
            .attr("data-index", &index.to_string())
            .attr("data-field", field.name())
            .attr("value", value)
            .attr("aria-label", label)
            .attr("spellcheck", "false")
    };
    match (call, message) {
        (Call::Send { text, .. }, Some(number)) => {
            let label = fill(texts.message_label, &[&number]);
            let mut editors = vec![input(Field::Text, text, &label)];
            if !plan.started() {
                let remove = el("button")
                    .class("remove")
                    .action("remove-message", Some(index))
                    .text(texts.remove_message);
                editors.push(remove.attr("aria-label", &format!("{} {label}", texts.remove_message)));
            }
            editors
        }
        (Call::Connect { host, port }, _) => {
            vec![input(Field::Host, host, "host"), input(Field::Port, port, "port")]
        }
        _ => Vec::new(),
    }
}

/// What the step returned, or why it failed.
fn result(step: &Step, plan: &HelloPlan, texts: &Texts) -> El {
    let out = el("div").class("result");
    let resolved = match (&step.call, plan.resolved.is_empty()) {
        (Call::Connect { host, .. }, false) => {
            let addresses: Vec<String> = plan.resolved.iter().map(ToString::to_string).collect();
            Some(el("p").text(&fill(texts.resolved, &[host, &addresses.join(", ")])))
        }
        _ => None,
    };
    let out = out.children(resolved.filter(|_| step.state != StepState::Ready));
    match &step.state {
        StepState::Ready => out,
        StepState::Running => out.child(el("p").class("running").text(texts.running)),
        StepState::Failed(CallError::Failed(error)) => {
            out.child(el("p").class("error").text(&error.to_string()))
        }
        StepState::Failed(CallError::RelayGone) => {
            out.child(el("p").class("error").text(texts.relay_gone_call))
        }
        StepState::Done(outcome) => out.children(outcome_view(&step.call, outcome, texts)),
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
        Outcome::Closed => vec![line(texts.closed.to_owned())],
    }
}

/// The bytes as a hex dump, folded away until asked for.
fn bytes_details(data: &[u8], texts: &Texts) -> El {
    el("details").class("hex").children([
        el("summary").text(&format!("{} ({})", texts.bytes, data.len())),
        el("pre").text(&hex_dump(data)),
    ])
}

fn set_disabled(id: &str, disabled: bool) {
    if let Some(element) = crate::dom::document().get_element_by_id(id) {
        let _ = match disabled {
            true => element.set_attribute("disabled", ""),
            false => element.remove_attribute("disabled"),
        };
    }
}
