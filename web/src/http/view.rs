//! Draws the HTTP lesson from its state.
//!
//! Below the steps, what came back: a counter while the bytes arrive, each
//! `recv`'s chunk with its size and bytes, the header split off at the
//! first `\r\n\r\n` and parsed into a table, and the body with its size,
//! type, a sandboxed preview and a button that saves it as `sina.html`;
//! and the conversation as a sequence diagram.

use super::response::{self, ChunkedError, ParseError, Response};
use super::{CHUNKS_PER_PAGE, HttpLesson, plan::SEND_STEP};
use crate::bytes_view::hex_dump;
use crate::dom::{El, el, replace};
use crate::files::ObjectUrl;
use crate::i18n::{Texts, fill, line};
use crate::steps::call::{Call, Field};
use crate::steps::plan::{Plan, Received, Step, StepState};
use crate::steps::view::{self, id, input};
use crate::steps::{LessonId, Track};
use crate::{code, diagram};

const LESSON: LessonId = LessonId::Http;
/// The lesson's one client.
const TRACK: Track = Track { lesson: LESSON, client: 0 };

/// The lesson's section, with an empty place for each part.
pub fn section(texts: &Texts) -> El {
    let controls = el("div").class("controls").children([
        el("button").id(&id(LESSON, "run-all")).action("run-all", None).text(texts.run_all),
        el("button").id(&id(LESSON, "reset")).action("reset", None).text(texts.reset),
    ]);
    let part = |name: &str, title: &str| {
        el("section").class(name).attr("aria-labelledby", &id(LESSON, &format!("{name}-title"))).children([
            el("h3").id(&id(LESSON, &format!("{name}-title"))).text(title),
            el("div").id(&id(LESSON, name)),
        ])
    };
    el("section")
        .id("http")
        .class("lesson")
        .attr("data-lesson", "http")
        .attr("aria-labelledby", "http-title")
        .children([
            el("h2").id("http-title").text(texts.http_title),
            el("p").class("intro").text(texts.http_intro),
            controls,
            el("p").id("http-notice").class("notice").attr("role", "alert"),
            view::announcer(LESSON),
            el("p").id("http-tuple").class("tuple"),
            el("div").class("program").children([
                el("ol").id("http-steps").class("steps"),
                code::view::section(TRACK, None, texts),
            ]),
            el("div").id("http-progress").class("progress").attr("role", "status"),
            part("chunks", texts.chunks_title),
            part("header", texts.header_title),
            part("body", texts.body_title),
            diagram::view::section(LESSON, texts),
        ])
}

/// Redraws every part of the lesson.
pub fn draw(lesson: &HttpLesson, texts: &Texts) {
    draw_steps(lesson, texts);
}

/// Redraws the steps and everything that depends on them.
pub fn draw_steps(lesson: &HttpLesson, texts: &Texts) {
    let walk = &lesson.walk;
    let Some(plan) = &walk.plan else { return };
    let editors = |index: usize, step: &Step| editors(index, step, texts);
    view::draw_steps(TRACK, walk, texts, &editors);
    view::draw_connection(TRACK, walk, texts, texts.http_finished);
    code::view::draw(TRACK, walk, lesson.code, texts);
    draw_progress(lesson, texts);
    draw_chunks(lesson, texts);
    let received = &plan.received.data;
    let parsed = response::parse(received);
    replace("http-header", header_view(&parsed, received.is_empty(), texts));
    replace("http-body", body_view(lesson, &parsed, loop_done(plan), texts));
    diagram::view::draw(LESSON, &diagram::http(plan, texts), texts);
}

/// Redraws the byte counter and the progress bar: cheap enough to run for
/// every chunk that arrives.
pub fn draw_progress(lesson: &HttpLesson, texts: &Texts) {
    let Some(plan) = &lesson.walk.plan else { return };
    let received = &plan.received;
    if received.chunks() == 0 {
        return replace("http-progress", None);
    }
    let counter = fill(texts.progress, &[&received.data.len(), &received.chunks()]);
    let bar = el("progress").attr("aria-label", texts.progress_label);
    let bar = match (response::parse(&received.data), loop_done(plan)) {
        (_, true) => bar.attr("max", "1").attr("value", "1"),
        (Ok(response), false) => match response.header.content_length() {
            Some(length) => {
                bar.attr("max", &length.to_string()).attr("value", &response.body.len().to_string())
            }
            None => bar, // no length given: the bar can only say "busy"
        },
        (Err(_), false) => bar,
    };
    replace("http-progress", [el("span").class("counter").text(&counter), bar]);
}

/// The list of chunks, a page at a time, and the bytes of the chosen one.
pub fn draw_chunks(lesson: &HttpLesson, texts: &Texts) {
    let Some(plan) = &lesson.walk.plan else { return };
    let received = &plan.received;
    if received.chunks() == 0 {
        return replace("http-chunks", None);
    }
    let pages = received.chunks().div_ceil(CHUNKS_PER_PAGE);
    let page = lesson.chunk_page.min(pages - 1);
    let first = page * CHUNKS_PER_PAGE;
    let shown = first..received.chunks().min(first + CHUNKS_PER_PAGE);
    let buttons = shown.clone().map(|index| {
        let size = received.chunk(index).len();
        el("li").child(
            el("button")
                .class("chunk")
                .action("chunk", Some(index))
                .attr("aria-pressed", if lesson.chosen_chunk == Some(index) { "true" } else { "false" })
                .text(&fill(texts.chunk, &[&(index + 1), &size])),
        )
    });
    let pager = el("p").class("pager").children([
        el("button")
            .action("chunk-page", Some(page.saturating_sub(1)))
            .flag("disabled", page == 0)
            .text(texts.previous),
        el("span").text(&fill(texts.chunk_page, &[&(shown.start + 1), &shown.end, &received.chunks()])),
        el("button")
            .action("chunk-page", Some(page + 1))
            .flag("disabled", page + 1 == pages)
            .text(texts.next),
    ]);
    let chosen = match lesson.chosen_chunk.filter(|&index| index < received.chunks()) {
        Some(index) => chunk_bytes(received, index, texts),
        None => el("p").class("hint").text(texts.choose_chunk),
    };
    replace("http-chunks", [pager, el("ol").class("chunk-list").children(buttons), chosen]);
}

/// The hex and ASCII of one chunk.
fn chunk_bytes(received: &Received, index: usize, texts: &Texts) -> El {
    let data = received.chunk(index);
    el("figure").class("chunk-bytes").children([
        el("figcaption").text(&fill(texts.chunk, &[&(index + 1), &data.len()])),
        el("pre").text(&hex_dump(data)),
    ])
}

/// Whether the receive loop has read up to `b''`.
fn loop_done(plan: &Plan) -> bool {
    plan.steps
        .iter()
        .any(|step| matches!((&step.call, &step.state), (Call::RecvLoop { .. }, StepState::Done(_))))
}

/// The request editor (its line breaks are sent as `\r\n`, and shown so),
/// and the address inputs of `connect`.
fn editors(index: usize, step: &Step, texts: &Texts) -> Vec<El> {
    match &step.call {
        Call::Send { text, .. } if index == SEND_STEP => vec![
            input(TRACK, index, Field::Request, text, texts.request_label),
            el("pre")
                .id("http-request-bytes")
                .class("crlf")
                .attr("aria-label", texts.request_bytes)
                .text(&crlf_visible(text)),
        ],
        call => view::address_inputs(TRACK, index, call, texts),
    }
}

/// The request with every `\r\n` written out, a line each.
pub fn crlf_visible(request: &str) -> String {
    request.split_inclusive("\r\n").map(|line| line.replace("\r\n", "\\r\\n\n")).collect()
}

fn header_view(parsed: &Result<Response, ParseError>, empty: bool, texts: &Texts) -> Vec<El> {
    let response = match parsed {
        Ok(response) => response,
        Err(_) if empty => return Vec::new(),
        Err(error) => {
            return vec![
                el("p").class("error").text(&fill(texts.not_http, &[&parse_error_text(error, texts)])),
            ];
        }
    };
    let header = &response.header;
    let rows = header.fields.iter().map(|(name, value)| {
        el("tr").children([
            el("th").attr("scope", "row").text(name),
            el("td").text(&String::from_utf8_lossy(value)),
        ])
    });
    let table = el("table").class("fields").children([
        el("caption").text(&fill(texts.header_size, &[&response.body_start, &header.fields.len()])),
        el("thead").child(el("tr").children([
            el("th").attr("scope", "col").text(texts.field_name),
            el("th").attr("scope", "col").text(texts.field_value),
        ])),
        el("tbody").children(rows),
    ]);
    vec![
        el("p").class("status-line").child(el("code").text(&header.status_line)),
        el("p").class("explain").text(&status_explained(header, texts)),
        table,
    ]
}

/// Why the bytes are not a response header, in the learner's language.
pub fn parse_error_text(error: &ParseError, texts: &Texts) -> &'static str {
    use httparse::Error::*;
    let index = match error {
        ParseError::Incomplete => 0,
        ParseError::Invalid(HeaderName) => 1,
        ParseError::Invalid(HeaderValue) => 2,
        ParseError::Invalid(NewLine) => 3,
        ParseError::Invalid(Status) => 4,
        ParseError::Invalid(Token) => 5,
        ParseError::Invalid(TooManyHeaders) => 6,
        ParseError::Invalid(Version) => 7,
    };
    line(texts.http_errors, index)
}

/// Why a chunked body cannot be decoded, and where, in the learner's language.
pub fn chunked_error_text(error: &ChunkedError, texts: &Texts) -> String {
    let (index, at) = match *error {
        ChunkedError::BadSize { at } => (0, at),
        ChunkedError::BadEnd { at } => (1, at),
        ChunkedError::Truncated { at } => (2, at),
    };
    fill(line(texts.chunked_errors, index), &[&at])
}

/// What the status code means for the learner.
fn status_explained(header: &response::Header, texts: &Texts) -> String {
    let code = header.code;
    match (code, header.redirect()) {
        (_, Some(location)) if location.starts_with("https://") => {
            fill(texts.redirect_https, &[&code, &location])
        }
        (_, Some(location)) => fill(texts.redirect, &[&code, &location]),
        (200..=299, _) => fill(texts.status_ok, &[&code]),
        _ => fill(texts.status_error, &[&code, &header.reason]),
    }
}

fn body_view(
    lesson: &HttpLesson,
    parsed: &Result<Response, ParseError>,
    done: bool,
    texts: &Texts,
) -> Vec<El> {
    let Ok(response) = parsed else { return Vec::new() };
    if !done {
        return vec![el("p").text(&fill(texts.body_so_far, &[&response.body.len()]))];
    }
    let header = &response.header;
    let content_type = header.content_type().unwrap_or_else(|| texts.no_content_type.to_owned());
    let mut parts = vec![
        el("p").id("http-body-size").text(&fill(texts.body_size, &[&response.body.len(), &content_type])),
        el("button").id("http-save").action("save", None).text(texts.save),
    ];
    let shown = match header.is_chunked() {
        true => match response::decode_chunked(response.body) {
            Ok(decoded) => {
                parts.push(el("p").class("explain").text(&fill(texts.chunked, &[&decoded.len()])));
                Some(decoded)
            }
            Err(error) => {
                let why = chunked_error_text(&error, texts);
                parts.push(el("p").class("error").text(&fill(texts.chunked_invalid, &[&why])));
                None
            }
        },
        false => Some(response.body.to_vec()),
    };
    if let Some(body) = shown.filter(|body| !body.is_empty()) {
        parts.push(preview(&body, &content_type, &mut lesson.preview.borrow_mut(), texts));
    }
    parts
}

/// The body in a frame that runs no scripts and has no access to the
/// page; only for the types a browser shows. The frame's URL is `kept`
/// until the next preview replaces it.
fn preview(body: &[u8], content_type: &str, kept: &mut Option<ObjectUrl>, texts: &Texts) -> El {
    let showable = ["text/", "image/"].iter().any(|prefix| content_type.starts_with(prefix));
    let url = showable.then(|| ObjectUrl::new(body, content_type)).flatten();
    let Some(url) = url else { return el("p").text(&fill(texts.no_preview, &[&content_type])) };
    let frame = el("iframe")
        .id("http-preview")
        .attr("sandbox", "")
        .attr("title", texts.preview_title)
        .attr("src", url.as_str());
    *kept = Some(url);
    el("figure").class("preview").children([el("figcaption").text(texts.preview_title), frame])
}
