//! Draws the Hello lesson from its state.
//!
//! The lesson's section is built once per language ([`section`]); its parts
//! are then redrawn from the state whenever it changes ([`draw`]). Every
//! function here reads state and returns elements: nothing here changes the
//! lesson.

use protocol::ServerInfo;

use super::HelloLesson;
use crate::bytes_view::python_repr;
use crate::dom::{El, el, replace};
use crate::i18n::{Texts, fill};
use crate::steps::LessonId;
use crate::steps::call::{Call, Field};
use crate::steps::plan::{Plan, Step};
use crate::steps::view::{self, id, input};

const LESSON: LessonId = LessonId::Hello;

/// The lesson's section, with an empty place for each part.
pub fn section(texts: &Texts) -> El {
    let controls = el("div").class("controls").children([
        el("button").id(&id(LESSON, "run-all")).action("run-all", None).text(texts.run_all),
        el("button").id("hello-add-message").action("add-message", None).text(texts.add_message),
        el("button").id(&id(LESSON, "reset")).action("reset", None).text(texts.reset),
    ]);
    let client = el("section").class("client").attr("aria-labelledby", "hello-client-title").children([
        el("h3").id("hello-client-title").text(texts.client),
        el("ol").id("hello-steps").class("steps"),
    ]);
    let server = el("section").class("server").attr("aria-labelledby", "hello-server-title").children([
        el("h3").id("hello-server-title").text(texts.server_log),
        el("ol").id("hello-log").class("log"),
    ]);
    let conversation =
        el("section").class("conversation").attr("aria-labelledby", "hello-conversation-title").children([
            el("h3").id("hello-conversation-title").text(texts.conversation),
            el("ol").id("hello-transcript").class("transcript").attr("aria-live", "polite"),
        ]);
    el("section")
        .id("hello")
        .class("lesson")
        .attr("data-lesson", "hello")
        .attr("aria-labelledby", "hello-title")
        .children([
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
    let walk = &lesson.walk;
    let Some(plan) = &walk.plan else { return };
    let messages = message_numbers(plan);
    let editors = |index: usize, step: &Step| editors(index, step, plan, messages[index], texts);
    view::draw_steps(LESSON, walk, texts, &editors);
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
    view::draw_connection(LESSON, walk, texts, texts.finished);
    view::set_disabled("hello-add-message", plan.started());
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
fn message_numbers(plan: &Plan) -> Vec<Option<usize>> {
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

/// The inputs for what a ready step will say.
fn editors(index: usize, step: &Step, plan: &Plan, message: Option<usize>, texts: &Texts) -> Vec<El> {
    match (&step.call, message) {
        (Call::Send { text, .. }, Some(number)) => {
            let label = fill(texts.message_label, &[&number]);
            let mut editors = vec![input(LESSON, index, Field::Text, text, &label)];
            if !plan.started() {
                let remove = el("button")
                    .class("remove")
                    .action("remove-message", Some(index))
                    .text(texts.remove_message);
                editors.push(remove.attr("aria-label", &format!("{} {label}", texts.remove_message)));
            }
            editors
        }
        (call, _) => view::address_inputs(LESSON, index, call, texts),
    }
}
