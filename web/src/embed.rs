//! Embedding: one lesson inside a course's own web page.
//!
//! A course page shows a lesson in an **`<iframe>`**: a window of its own,
//! inside the course page, that loads `https://relay.example/embed/http`
//! from the relay. The two pages come from different *origins* (an origin
//! is a scheme, a host and a port), so the browser keeps them apart:
//! neither can read the other's document or call its functions.
//!
//! What they can do is send each other messages with **`postMessage`**.
//! The sender names the window it writes to and the origin that window
//! must have for the message to be delivered (or `"*"`, any origin). The
//! receiver gets a `message` event with a copy of the data, the sender's
//! origin and the sender's window (`source`), and decides for itself
//! whether to believe it.
//!
//! Which sites may frame the playground is the relay's decision, not the
//! course page's: every page the relay serves carries the header
//! `Content-Security-Policy: frame-ancestors 'self' https://course.example.edu`
//! (one origin per `--embed-origin`), and the browser shows the page in no
//! other site's frame.
//!
//! This module is the page's side of it:
//!
//! - [`Options`]: what the address asks for (`/embed/http?lang=zh&theme=dark`);
//! - [`listen`]: commands from the framing page (`{type: "step", client: 1}`);
//! - [`post`]: events for it (`{source: "socket-playground", type: "done", ...}`).
//!
//! Events are posted with the target origin `"*"`. A target origin guards
//! against a window that has gone to another site since; the parent cannot,
//! as leaving its page removes this frame. The parent is a site that
//! `frame-ancestors` lets in, and the events say only what the learner sees
//! on the screen. `location.ancestorOrigins` would name the parent exactly,
//! but Firefox lacks it and it reads `"null"` when the course page hides its
//! address (`referrerpolicy="no-referrer"`), where `postMessage` would throw.
//!
//! Commands are taken from the parent window alone, and do no more than the
//! learner's own buttons do. `docs/embedding.md` is the guide for teachers.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Window};

/// Tells the playground's messages from others a course page may receive.
const SOURCE: &str = "socket-playground";

/// The lessons (the address panel among them) by name, as in `/embed/http`
/// (the relay serves the same three) and `?lesson=http`.
const LESSONS: [&str; 3] = ["http", "hello", "address"];

/// What the page's address asks for: its path and its query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Loaded at `/embed/<lesson>`: that lesson alone, without the site's
    /// header and tabs.
    pub embedded: bool,
    /// The lesson to show (`http`, `hello` or `address`): the path's when
    /// embedded, else `?lesson=`.
    pub lesson: Option<String>,
    /// `?lang=`: `en` or `zh`; `None` leaves it to the browser's language.
    pub lang: Option<String>,
    /// `?theme=`; `None` follows the visitor's `prefers-color-scheme`.
    pub theme: Option<Theme>,
    /// `?host=`: where the HTTP lesson connects (its `Host:` line follows).
    pub host: Option<String>,
    /// `?port=`: the HTTP lesson's port, as text, checked when it runs.
    pub port: Option<String>,
    /// `?request=`: the HTTP lesson's request, its line breaks made `\r\n`.
    pub request: Option<String>,
}

/// The page's colours, when the address chooses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The name in `?theme=` and in `<html data-theme>`.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn from_name(name: &str) -> Option<Theme> {
        [Theme::Light, Theme::Dark].into_iter().find(|theme| theme.name() == name)
    }
}

impl Options {
    /// Reads the page's path (`location.pathname`) and its query, through
    /// `param`, which gives a parameter's decoded value (the browser's
    /// `URLSearchParams.get`). Empty values, and lessons, languages and
    /// themes the page does not know, count as absent.
    pub fn read(path: &str, param: impl Fn(&str) -> Option<String>) -> Options {
        let param = |name: &str| param(name).filter(|value| !value.is_empty());
        let embedded = embedded_lesson(path);
        Options {
            embedded: embedded.is_some(),
            lesson: embedded.or_else(|| param("lesson").and_then(|name| lesson(&name))).map(str::to_owned),
            lang: param("lang").filter(|lang| ["en", "zh"].contains(&lang.as_str())),
            theme: param("theme").as_deref().and_then(Theme::from_name),
            host: param("host"),
            port: param("port"),
            request: param("request").map(|text| text.replace("\r\n", "\n").replace('\n', "\r\n")),
        }
    }
}

/// `/embed/http` → `http`; `None` for `/` or any other path.
fn embedded_lesson(path: &str) -> Option<&'static str> {
    lesson(path.strip_prefix("/embed/")?)
}

/// The lesson called `name`, if there is one.
fn lesson(name: &str) -> Option<&'static str> {
    LESSONS.into_iter().find(|lesson| *lesson == name)
}

/// What the course page asks of a lesson: of one of its clients (counted
/// from 1), or of the whole lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Runs the client's remaining steps.
    Run { client: usize },
    /// Runs the client's next step.
    Step { client: usize },
    /// Closes every client's socket, if open, and starts the whole lesson
    /// over, as the lesson's Reset button does. A `client` is ignored.
    Reset,
}

impl Command {
    /// The command a message's `type` and `client` name; `client` may be
    /// absent (client 1), else it must be a whole number from 1. Whether
    /// the lesson has that client is for the lesson to say.
    fn new(kind: &str, client: Option<f64>) -> Option<Command> {
        let client = match client {
            None => Some(1),
            Some(client) if client >= 1.0 && client.fract() == 0.0 && client <= f64::from(u32::MAX) => {
                Some(client as usize)
            }
            Some(_) => None,
        };
        match kind {
            "run" => Some(Command::Run { client: client? }),
            "step" => Some(Command::Step { client: client? }),
            "reset" => Some(Command::Reset),
            _ => None,
        }
    }

    /// The command a message's data carries, if it is one.
    fn from_data(data: &JsValue) -> Option<Command> {
        if !data.is_object() {
            return None;
        }
        let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
        let kind = field("type")?.as_string()?;
        let client = field("client")?;
        let client = if client.is_undefined() { None } else { Some(client.as_f64()?) };
        Command::new(&kind, client)
    }
}

/// Calls `on_command` for each command the framing page posts. Messages
/// from any other window, and messages that are not commands, are ignored:
/// a course page may post other things. Outside a frame, does nothing.
pub fn listen(on_command: impl Fn(Command) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let Some(parent) = parent_frame(&window) else { return };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let from_parent = event.source().is_some_and(|source| Object::is(&source, &parent));
        if let Some(command) = from_parent.then(|| Command::from_data(&event.data())).flatten() {
            on_command(command);
        }
    });
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget(); // for the life of the page
}

/// What a lesson tells the framing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// The relay welcomed the page: the lesson can run.
    Ready { lesson: &'a str },
    /// Step `index` (from 0) succeeded: its line of Python, and what it returned.
    Step { lesson: &'a str, client: usize, index: usize, call: &'a str, result: &'a str },
    /// Step `index` failed, with Python's name for the error; or, without
    /// an index, a command could not be carried out (`CommandError`).
    Error { lesson: &'a str, client: usize, index: Option<usize>, kind: &'a str, message: &'a str },
    /// Every step has succeeded.
    Done { lesson: &'a str, client: usize },
}

impl Event<'_> {
    /// The message's `type`.
    fn name(&self) -> &'static str {
        match self {
            Event::Ready { .. } => "ready",
            Event::Step { .. } => "step",
            Event::Error { .. } => "error",
            Event::Done { .. } => "done",
        }
    }

    /// `{source: "socket-playground", type, lesson, ...}` with the event's fields.
    fn message(&self) -> Object {
        let mut fields = vec![("source", JsValue::from_str(SOURCE)), ("type", self.name().into())];
        let number = |n: usize| JsValue::from_f64(n as f64);
        match *self {
            Event::Ready { lesson } => fields.push(("lesson", lesson.into())),
            Event::Step { lesson, client, index, call, result } => fields.extend([
                ("lesson", lesson.into()),
                ("client", number(client)),
                ("index", number(index)),
                ("call", call.into()),
                ("result", result.into()),
            ]),
            Event::Error { lesson, client, index, kind, message } => {
                fields.extend([("lesson", lesson.into()), ("client", number(client))]);
                fields.extend(index.map(|index| ("index", number(index))));
                fields.push(("error", object(&[("kind", kind.into()), ("message", message.into())]).into()));
            }
            Event::Done { lesson, client } => {
                fields.extend([("lesson", lesson.into()), ("client", number(client))]);
            }
        }
        object(&fields)
    }
}

/// Tells the framing page what happened; outside a frame, does nothing.
pub fn post(event: &Event) {
    if let Some(parent) = web_sys::window().as_ref().and_then(parent_frame) {
        let _ = parent.post_message(&event.message(), "*");
    }
}

/// The window this page is framed in, if any (at the top, `parent` is the
/// window itself).
fn parent_frame(window: &Window) -> Option<Window> {
    let parent = window.parent().ok().flatten()?;
    (!Object::is(&parent, window)).then_some(parent)
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_names_the_embedded_lesson() {
        for lesson in ["http", "hello", "address"] {
            assert_eq!(embedded_lesson(&format!("/embed/{lesson}")), Some(lesson));
        }
        for path in ["/", "/index.html", "/embed/", "/embed/nope", "/embed/http/more", "/embed/HTTP", "/http"]
        {
            assert_eq!(embedded_lesson(path), None, "{path}");
        }
    }

    /// The query `pairs`, read as `URLSearchParams.get` does: the first value wins.
    fn query<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
    }

    #[test]
    fn an_embedded_lesson_comes_from_the_path_and_the_rest_from_the_query() {
        let options =
            Options::read("/embed/hello", query(&[("lesson", "http"), ("lang", "zh"), ("theme", "dark")]));
        let expected = Options {
            embedded: true,
            lesson: Some("hello".into()),
            lang: Some("zh".into()),
            theme: Some(Theme::Dark),
            ..Options::default()
        };
        assert_eq!(options, expected);
    }

    #[test]
    fn the_whole_page_takes_its_lesson_from_the_query() {
        let options = Options::read("/", query(&[("lesson", "address"), ("theme", "light")]));
        let expected =
            Options { lesson: Some("address".into()), theme: Some(Theme::Light), ..Options::default() };
        assert_eq!(options, expected);
        assert_eq!(Options::read("/", query(&[])), Options::default());
    }

    #[test]
    fn the_request_gets_crlf_line_breaks() {
        let pairs = [
            ("host", "example.com"),
            ("port", "8080"),
            ("request", "GET / HTTP/1.1\nHost: example.com\r\n\n"),
        ];
        let options = Options::read("/embed/http", query(&pairs));
        assert_eq!(options.host.as_deref(), Some("example.com"));
        assert_eq!(options.port.as_deref(), Some("8080"));
        assert_eq!(options.request.as_deref(), Some("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
    }

    #[test]
    fn empty_values_and_unknown_names_are_absent() {
        let pairs = [("theme", "blue"), ("lang", "fr"), ("lesson", "ftp"), ("host", ""), ("request", "")];
        assert_eq!(Options::read("/", query(&pairs)), Options::default());
    }

    #[test]
    fn commands_run_and_step_a_client_counted_from_one_and_reset_the_lesson() {
        assert_eq!(Command::new("run", None), Some(Command::Run { client: 1 }));
        assert_eq!(Command::new("step", Some(2.0)), Some(Command::Step { client: 2 }));
        for client in [None, Some(1.0), Some(3.0), Some(0.0)] {
            assert_eq!(Command::new("reset", client), Some(Command::Reset), "{client:?}");
        }
        for (kind, client) in [
            ("jump", None),
            ("Run", None),
            ("", None),
            ("step", Some(0.0)),
            ("step", Some(1.5)),
            ("step", Some(-1.0)),
            ("step", Some(f64::NAN)),
            ("step", Some(f64::INFINITY)),
        ] {
            assert_eq!(Command::new(kind, client), None, "{kind} {client:?}");
        }
    }
}
