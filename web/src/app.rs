//! The page: its header, the relay's status, the lesson, and the listeners
//! that turn clicks and typing into actions.
//!
//! All state lives in [`App`]. Clicks reach one listener on the page, which
//! reads the `data-action` of the button that was pressed; typing reaches one
//! listener that reads the input's `data-index` and `data-field`. Messages
//! from the relay arrive as bridge events. Each changes the state and then
//! redraws the parts of the page that show it.

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use protocol::{LessonServer, Op, RelayMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, HtmlInputElement};

use crate::bridge::{Bridge, BridgeEvent};
use crate::dom::{self, el, replace};
use crate::hello::plan::Field;
use crate::hello::{self, HelloLesson, LogLine};
use crate::i18n::{Lang, Texts, fill};

/// What the page knows of the relay.
#[derive(Debug, Clone, PartialEq)]
pub enum RelayState {
    Connecting,
    Connected { relay: String },
    Gone { retry_ms: u32 },
}

pub struct App {
    lang: Cell<Lang>,
    bridge: OnceCell<Bridge>,
    relay: RefCell<RelayState>,
    /// A message from the relay addressed to no call, such as missed log lines.
    notice: RefCell<Option<String>>,
    pub hello: RefCell<HelloLesson>,
}

impl App {
    /// Builds the page inside `#app` and connects to the relay. Does nothing
    /// on a page without `#app` (such as the test runner's).
    pub fn mount() {
        let Some(root) = dom::document().get_element_by_id("app") else { return };
        let window = web_sys::window().expect("a browser window");
        let query_lang = window
            .location()
            .search()
            .ok()
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
            .and_then(|params| params.get("lang"));
        let lang = Lang::choose(query_lang.as_deref(), &window.navigator().language().unwrap_or_default());
        let app = Rc::new(App {
            lang: Cell::new(lang),
            bridge: OnceCell::new(),
            relay: RefCell::new(RelayState::Connecting),
            notice: RefCell::new(None),
            hello: RefCell::new(HelloLesson::default()),
        });
        app.draw_all();
        let weak = Rc::downgrade(&app);
        let bridge = Bridge::connect(websocket_url(&window), move |event| {
            if let Some(app) = weak.upgrade() {
                app.on_bridge(event);
            }
        });
        let _ = app.bridge.set(bridge);
        app.listen(&root);
    }

    pub fn bridge(&self) -> &Bridge {
        self.bridge.get().expect("the bridge is connected at mount")
    }

    fn texts(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// The page's listeners hold the app for as long as the page lives.
    fn listen(self: &Rc<Self>, root: &Element) {
        let app = Rc::clone(self);
        let on_click = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let target = event.target().and_then(|target| target.dyn_into::<Element>().ok());
            let Some(button) = target.and_then(|target| target.closest("[data-action]").ok().flatten())
            else {
                return;
            };
            let action = button.get_attribute("data-action").unwrap_or_default();
            let index = button.get_attribute("data-index").and_then(|index| index.parse().ok());
            app.on_action(&action, index);
        });
        let app = Rc::clone(self);
        let on_input = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let Some(input) = event.target().and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let index = input.get_attribute("data-index").and_then(|index| index.parse().ok());
            let field = input.get_attribute("data-field").and_then(|field| Field::from_name(&field));
            if let (Some(index), Some(field)) = (index, field) {
                app.on_edit(index, field, &input.value());
            }
        });
        for (kind, listener) in [("click", on_click), ("input", on_input)] {
            let _ = root.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
            listener.forget(); // for the life of the page
        }
    }

    fn on_action(self: &Rc<Self>, action: &str, index: Option<usize>) {
        let app = Rc::clone(self);
        match (action, index) {
            ("run", Some(index)) => spawn_local(async move {
                hello::run::step(&app, index).await;
            }),
            ("run-all", _) => spawn_local(async move { hello::run::all(&app).await }),
            ("reset", _) => self.reset(),
            ("add-message", _) => {
                if let Some(plan) = &mut self.hello.borrow_mut().plan {
                    plan.add_message(self.texts().new_message);
                }
                self.draw_steps();
            }
            ("remove-message", Some(index)) => {
                if let Some(plan) = &mut self.hello.borrow_mut().plan {
                    plan.remove_message(index);
                }
                self.draw_steps();
            }
            ("language", _) => self.switch_language(),
            _ => {}
        }
    }

    /// The learner typed into a step: change the plan, and the step's code
    /// line in place (a redraw would move the caret).
    fn on_edit(&self, index: usize, field: Field, value: &str) {
        let mut lesson = self.hello.borrow_mut();
        let Some(plan) = &mut lesson.plan else { return };
        plan.edit(index, field, value);
        let code = plan.steps[index].call.python();
        let selector = format!("#step-{index} code");
        if let Ok(Some(element)) = dom::document().query_selector(&selector) {
            element.set_text_content(Some(&code));
        }
    }

    fn on_bridge(self: &Rc<Self>, event: BridgeEvent) {
        match event {
            BridgeEvent::Welcome { relay, servers } => {
                *self.relay.borrow_mut() = RelayState::Connected { relay };
                if let Some(server) = servers.into_iter().find(|server| server.name == LessonServer::Hello) {
                    self.hello.borrow_mut().welcome(server);
                }
                let app = Rc::clone(self);
                spawn_local(async move {
                    let _ = app.bridge().call(Op::Watch { server: LessonServer::Hello }, b"", |_| {}).await;
                });
                self.draw_status();
                hello::view::draw(&self.hello.borrow(), self.texts());
            }
            BridgeEvent::Unsolicited(incoming) => match incoming.message {
                RelayMessage::ServerLog { server: LessonServer::Hello, thread, peer, event } => {
                    let line = LogLine { thread, peer, event, data: incoming.payload.to_vec() };
                    self.hello.borrow_mut().add_log(line);
                    self.draw_log();
                }
                RelayMessage::Error { error, .. } => {
                    *self.notice.borrow_mut() = Some(error.to_string());
                    self.draw_status();
                }
                _ => {}
            },
            BridgeEvent::Gone { retry_ms } => {
                *self.relay.borrow_mut() = RelayState::Gone { retry_ms };
                let mut lesson = self.hello.borrow_mut();
                if lesson.plan.as_ref().is_some_and(|plan| plan.socket_open()) {
                    lesson.stale = true;
                }
                drop(lesson);
                self.draw_status();
                self.draw_steps();
            }
        }
    }

    /// Closes the lesson's socket, if open, and starts the lesson over.
    fn reset(self: &Rc<Self>) {
        let mut lesson = self.hello.borrow_mut();
        let open = lesson
            .plan
            .as_ref()
            .filter(|plan| plan.socket_open() && !lesson.stale)
            .and_then(|plan| plan.socket());
        lesson.reset();
        drop(lesson);
        if let Some(socket) = open {
            let app = Rc::clone(self);
            spawn_local(async move {
                let _ = app.bridge().call(Op::Close { socket }, b"", |_| {}).await;
            });
        }
        hello::view::draw(&self.hello.borrow(), self.texts());
    }

    fn switch_language(&self) {
        let lang = self.lang.get().other();
        self.lang.set(lang);
        if let Some(window) = web_sys::window() {
            let url = format!("?lang={}", lang.code());
            let _ = window
                .history()
                .and_then(|history| history.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
        }
        self.draw_all();
        if let Some(button) = dom::document().get_element_by_id("language") {
            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }

    /// Builds the whole page in the current language.
    fn draw_all(&self) {
        let texts = self.texts();
        let document = dom::document();
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("lang", if self.lang.get() == Lang::Zh { "zh-CN" } else { "en" });
        }
        document.set_title(texts.title);
        let header = el("header").class("bar").children([
            el("div")
                .class("titles")
                .children([el("h1").text(texts.title), el("p").class("subtitle").text(texts.subtitle)]),
            el("p").id("relay-status").class("status").attr("role", "status"),
            el("button")
                .id("language")
                .action("language", None)
                .attr("aria-label", texts.switch_label)
                .text(texts.switch_to),
        ]);
        let main = el("main").child(hello::view::section(texts));
        replace("app", [header, main]);
        self.draw_status();
        hello::view::draw(&self.hello.borrow(), texts);
    }

    fn draw_status(&self) {
        let texts = self.texts();
        let (class, text) = match &*self.relay.borrow() {
            RelayState::Connecting => ("connecting", texts.relay_connecting.to_owned()),
            RelayState::Connected { relay } => ("connected", fill(texts.relay_connected, &[relay])),
            RelayState::Gone { retry_ms } => ("gone", fill(texts.relay_gone, &[&retry_ms.div_ceil(1000)])),
        };
        let notice = self.notice.borrow().clone().map(|notice| el("span").class("notice").text(&notice));
        replace("relay-status", std::iter::once(el("span").class(class).text(&text)).chain(notice));
    }

    pub fn draw_steps(&self) {
        hello::view::draw_steps(&self.hello.borrow(), self.texts());
    }

    pub fn draw_log(&self) {
        hello::view::draw_log(&self.hello.borrow(), self.texts());
    }
}

/// `ws://` (or `wss://` behind https) to `/ws` on the host that served the page.
fn websocket_url(window: &web_sys::Window) -> String {
    let location = window.location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    format!("{scheme}://{}/ws", location.host().unwrap_or_default())
}
