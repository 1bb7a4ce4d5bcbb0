//! Draws the Hello lesson from its state.
//!
//! The lesson's section is built once per language ([`section`]); its parts
//! are then redrawn from the state whenever it changes ([`draw`]). Every
//! function here reads state and returns elements: nothing here changes the
//! lesson.
//!
//! Each client has its own part (`data-client`), with its 4-tuple, its
//! buttons and its steps; the server's log, the conversation and the
//! sequence diagram show all of them together.

use protocol::LessonServer;

use super::{HelloLesson, MAX_CLIENTS, Moment};
use crate::bytes_view::python_repr;
use crate::dom::{El, el, replace};
use crate::i18n::{Texts, fill};
use crate::steps::call::{Call, Field};
use crate::steps::plan::{Exchange, Plan, Step};
use crate::steps::view::{self, id, input, track_id};
use crate::steps::{LessonId, Track, Walkthrough};
use crate::{code, diagram};

const LESSON: LessonId = LessonId::Hello;

/// The servers the learner can choose, in the order of their buttons.
pub const SERVERS: [LessonServer; 2] = [LessonServer::Hello, LessonServer::HelloSingle];

/// The lesson's section, with an empty place for each part.
pub fn section(texts: &Texts) -> El {
    let controls = el("div").class("controls").children([
        el("div")
            .id("hello-servers")
            .class("choice")
            .attr("role", "group")
            .attr("aria-label", texts.server_choice),
        el("button").id("hello-add-client").action("add-client", None).text(texts.add_client),
        el("button").id(&id(LESSON, "reset")).action("reset", None).text(texts.reset),
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
            el("p").id("hello-server-note").class("intro"),
            view::announcer(LESSON),
            el("div").class("sides").children([el("div").id("hello-clients").class("clients"), server]),
            conversation,
            diagram::view::section(LESSON, texts),
        ])
}

/// Redraws every part of the lesson: the clients' parts are rebuilt.
pub fn draw(lesson: &HelloLesson, texts: &Texts) {
    let delay = lesson.server().map(|server| server.delay_ms);
    replace("hello-intro", delay.map(|delay| el("span").text(&fill(texts.hello_intro, &[&delay]))));
    draw_servers(lesson, texts);
    let clients =
        (0..lesson.clients.len()).map(|client| client_section(Track { lesson: LESSON, client }, texts));
    replace("hello-clients", clients);
    draw_steps(lesson, texts);
}

/// The two servers to choose from, and what the chosen one does.
fn draw_servers(lesson: &HelloLesson, texts: &Texts) {
    let buttons = SERVERS.iter().enumerate().filter_map(|(index, &name)| {
        let server = lesson.servers.iter().find(|server| server.name == name)?;
        let label = match name {
            LessonServer::Hello => texts.server_threaded,
            LessonServer::HelloSingle => texts.server_single,
        };
        let chosen = lesson.chosen == name;
        Some(
            el("button")
                .id(&format!("hello-server-{index}"))
                .action("server", Some(index))
                .attr("aria-pressed", if chosen { "true" } else { "false" })
                .text(&fill(label, &[&server.addr])),
        )
    });
    replace("hello-servers", buttons);
    let note = match lesson.chosen {
        LessonServer::Hello => texts.threaded_note,
        LessonServer::HelloSingle => texts.single_note,
    };
    replace("hello-server-note", [el("span").text(note)]);
}

/// One client's part: its title, 4-tuple, notice, buttons and steps.
fn client_section(track: Track, texts: &Texts) -> El {
    let title = track_id(track, "client-title");
    el("section")
        .class("client")
        .attr("data-client", &track.client.to_string())
        .attr("aria-labelledby", &title)
        .children([
            el("h3").id(&title).text(&fill(texts.client_title, &[&(track.client + 1)])),
            el("p").id(&track_id(track, "tuple")).class("tuple"),
            el("p").id(&track_id(track, "notice")).class("notice").attr("role", "status"),
            el("div").class("controls").children([
                el("button").id(&track_id(track, "run-all")).action("run-all", None).text(texts.run_all),
                el("button")
                    .id(&track_id(track, "add-message"))
                    .action("add-message", None)
                    .text(texts.add_message),
            ]),
            el("ol").id(&track_id(track, "steps")).class("steps"),
            code::view::section(track, Some(&title), texts),
        ])
}

/// Redraws every client's steps and what depends on them.
pub fn draw_steps(lesson: &HelloLesson, texts: &Texts) {
    for (client, walk) in lesson.clients.iter().enumerate() {
        draw_client(Track { lesson: LESSON, client }, walk, texts);
        code::view::draw(Track { lesson: LESSON, client }, walk, lesson.code, texts);
    }
    replace("hello-transcript", transcript(lesson, texts));
    draw_log(lesson, texts);
    view::set_disabled("hello-add-client", lesson.clients.len() >= MAX_CLIENTS || lesson.server().is_none());
}

fn draw_client(track: Track, walk: &Walkthrough, texts: &Texts) {
    let Some(plan) = &walk.plan else { return };
    let messages = message_numbers(plan);
    let editors = |index: usize, step: &Step| editors(track, index, step, plan, messages[index], texts);
    view::draw_steps(track, walk, texts, &editors);
    view::draw_connection(track, walk, texts, texts.finished);
    view::set_disabled(&track_id(track, "add-message"), plan.started());
}

/// Every byte sent and received, by every client, in the order it happened.
fn transcript(lesson: &HelloLesson, texts: &Texts) -> Vec<El> {
    let several = lesson.clients.len() > 1;
    lesson
        .timeline
        .iter()
        .filter_map(|moment| match moment {
            Moment::Step { client, index } => {
                let step = lesson.clients.get(*client)?.plan.as_ref()?.steps.get(*index)?;
                Some((*client, step.exchanged()?))
            }
            Moment::Log(_) => None,
        })
        .map(|(client, Exchange { sent, data })| {
            let (class, direction) = match sent {
                true => ("sent", texts.client_to_server),
                false => ("received", texts.server_to_client),
            };
            let who =
                several.then(|| el("span").class("who").text(&fill(texts.client_title, &[&(client + 1)])));
            el("li").class(class).children(who.into_iter().chain([
                el("span").class("direction").text(direction),
                el("code").class("bytes").text(&python_repr(data)),
                el("span").class("size").text(&fill(texts.size, &[&data.len()])),
            ]))
        })
        .collect()
}

/// Redraws the server's log for our connections, and the diagram.
pub fn draw_log(lesson: &HelloLesson, texts: &Texts) {
    let listener = match lesson.chosen {
        LessonServer::Hello => "hello-listener",
        LessonServer::HelloSingle => "MainThread",
    };
    let waiting = el("li").class("log-line").text(&format!("[{listener}] {}", texts.waiting_server));
    let ours = lesson.our_log().map(|line| el("li").class("log-line").text(&line.text()));
    replace("hello-log", std::iter::once(waiting).chain(ours));
    diagram::view::draw(LESSON, &diagram::hello(lesson, texts), texts);
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
fn editors(
    track: Track,
    index: usize,
    step: &Step,
    plan: &Plan,
    message: Option<usize>,
    texts: &Texts,
) -> Vec<El> {
    match (&step.call, message) {
        (Call::Send { text, .. }, Some(number)) => {
            let label = fill(texts.message_label, &[&number]);
            let mut editors = vec![input(track, index, Field::Text, text, &label)];
            if !plan.started() {
                let remove = el("button")
                    .class("remove")
                    .action("remove-message", Some(index))
                    .text(texts.remove_message);
                editors.push(remove.attr("aria-label", &format!("{} {label}", texts.remove_message)));
            }
            editors
        }
        (call, _) => view::address_inputs(track, index, call, texts),
    }
}
