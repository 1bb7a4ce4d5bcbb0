//! The page: its header, the relay's status, the lessons, the address
//! panel, and the listeners that turn clicks and typing into actions.
//!
//! All state lives in [`App`]. Clicks reach one listener on the page, which
//! reads the `data-action` of the button that was pressed (and the
//! `data-lesson` of its section); typing reaches one listener that reads the
//! input's `data-index` and `data-field` (or, for the address panel, its
//! id). Messages from the relay arrive as bridge events. Each changes the
//! state and then redraws the parts of the page that show it.

use std::cell::{Cell, OnceCell, RefCell, RefMut};
use std::rc::Rc;

use protocol::{LessonServer, Op, RelayMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, HtmlInputElement, HtmlTextAreaElement, UrlSearchParams};

use crate::address::{self, AddressPanel};
use crate::bridge::{Bridge, BridgeEvent};
use crate::dom::{self, el, replace};
use crate::hello::{self, HelloLesson, LogLine};
use crate::http::{self, HttpLesson};
use crate::i18n::{Lang, Texts, fill};
use crate::steps::call::{Call, Field};
use crate::steps::run::{self, Mode};
use crate::steps::{LessonId, Walkthrough};

/// What the page knows of the relay.
#[derive(Debug, Clone, PartialEq)]
pub enum RelayState {
    Connecting,
    Connected { relay: String },
    Gone { retry_ms: u32, reason: Option<String> },
}

/// What the page shows under its tabs: a lesson, or the address panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Lesson(LessonId),
    Address,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Lesson(LessonId::Http), Tab::Lesson(LessonId::Hello), Tab::Address];

    /// The name used in `?lesson=`, and the id of the tab's section.
    fn name(self) -> &'static str {
        match self {
            Tab::Lesson(lesson) => lesson.name(),
            Tab::Address => address::view::SECTION,
        }
    }

    fn from_name(name: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|tab| tab.name() == name)
    }
}

pub struct App {
    lang: Cell<Lang>,
    /// The lesson (or the panel) on show.
    tab: Cell<Tab>,
    bridge: OnceCell<Bridge>,
    relay: RefCell<RelayState>,
    /// A message from the relay addressed to no call, such as missed log lines.
    notice: RefCell<Option<String>>,
    pub http: RefCell<HttpLesson>,
    pub hello: RefCell<HelloLesson>,
    pub address: RefCell<AddressPanel>,
}

impl App {
    /// Builds the page inside `#app` and connects to the relay. Does nothing
    /// on a page without `#app` (such as the test runner's).
    pub fn mount() {
        let Some(root) = dom::document().get_element_by_id("app") else { return };
        let window = web_sys::window().expect("a browser window");
        let params =
            window.location().search().ok().and_then(|search| UrlSearchParams::new_with_str(&search).ok());
        let param = |name: &str| params.as_ref().and_then(|params| params.get(name));
        let lang = Lang::choose(param("lang").as_deref(), &window.navigator().language().unwrap_or_default());
        let tab =
            param("lesson").and_then(|name| Tab::from_name(&name)).unwrap_or(Tab::Lesson(LessonId::Http));
        let app = Rc::new(App {
            lang: Cell::new(lang),
            tab: Cell::new(tab),
            bridge: OnceCell::new(),
            relay: RefCell::new(RelayState::Connecting),
            notice: RefCell::new(None),
            http: RefCell::new(HttpLesson::default()),
            hello: RefCell::new(HelloLesson::default()),
            address: RefCell::new(AddressPanel::default()),
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

    /// A lesson's steps and the state of running them.
    pub fn walkthrough(&self, lesson: LessonId) -> RefMut<'_, Walkthrough> {
        match lesson {
            LessonId::Http => RefMut::map(self.http.borrow_mut(), |http| &mut http.walk),
            LessonId::Hello => RefMut::map(self.hello.borrow_mut(), |hello| &mut hello.walk),
        }
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
            if action == address::view::FILL {
                return app.fill_address(&button.get_attribute("data-value").unwrap_or_default());
            }
            let index = button.get_attribute("data-index").and_then(|index| index.parse().ok());
            app.on_action(lesson_of(&button), &action, index);
        });
        let app = Rc::clone(self);
        let on_input = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let Some(input) = event.target().and_then(|target| target.dyn_into::<Element>().ok()) else {
                return;
            };
            let value = match (input.dyn_ref::<HtmlInputElement>(), input.dyn_ref::<HtmlTextAreaElement>()) {
                (Some(input), _) => input.value(),
                (_, Some(text_area)) => text_area.value(),
                _ => return,
            };
            if input.id() == address::view::INPUT {
                return app.edit_address(value);
            }
            let index = input.get_attribute("data-index").and_then(|index| index.parse().ok());
            let field = input.get_attribute("data-field").and_then(|field| Field::from_name(&field));
            if let (Some(lesson), Some(index), Some(field)) = (lesson_of(&input), index, field) {
                app.on_edit(lesson, index, field, &value);
            }
        });
        for (kind, listener) in [("click", on_click), ("input", on_input)] {
            let _ = root.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
            listener.forget(); // for the life of the page
        }
    }

    fn on_action(self: &Rc<Self>, lesson: Option<LessonId>, action: &str, index: Option<usize>) {
        let app = Rc::clone(self);
        match (lesson, action, index) {
            (Some(lesson), "run", Some(index)) => spawn_local(async move {
                run::step(&app, lesson, index, Mode::Step).await;
            }),
            (Some(lesson), "stream", Some(index)) => spawn_local(async move {
                run::step(&app, lesson, index, Mode::Stream).await;
            }),
            (Some(lesson), "run-all", _) => spawn_local(async move { run::all(&app, lesson).await }),
            (Some(lesson), "reset", _) => self.reset(lesson),
            (_, "add-message", _) => {
                if let Some(plan) = &mut self.hello.borrow_mut().walk.plan {
                    hello::plan::add_message(plan, self.texts().new_message);
                }
                self.draw_steps(LessonId::Hello);
            }
            (_, "remove-message", Some(index)) => {
                if let Some(plan) = &mut self.hello.borrow_mut().walk.plan {
                    hello::plan::remove_message(plan, index);
                }
                self.draw_steps(LessonId::Hello);
            }
            (_, "chunk", Some(index)) => {
                self.http.borrow_mut().chosen_chunk = Some(index);
                http::view::draw_chunks(&self.http.borrow(), self.texts());
            }
            (_, "chunk-page", Some(page)) => {
                self.http.borrow_mut().chunk_page = page;
                http::view::draw_chunks(&self.http.borrow(), self.texts());
            }
            (_, "save", _) => self.save_body(),
            (_, "show-lesson", Some(index)) => {
                if let Some(&tab) = Tab::ALL.get(index) {
                    self.tab.set(tab);
                    self.remember_in_url();
                    self.draw_lesson_choice();
                }
            }
            (_, "language", _) => self.switch_language(),
            _ => {}
        }
    }

    /// The learner typed into the address panel: show what it is.
    fn edit_address(&self, text: String) {
        self.address.borrow_mut().text = text;
        address::view::draw(&self.address.borrow(), self.texts());
    }

    /// An example (or an address the panel showed) goes into the panel's input.
    fn fill_address(&self, text: &str) {
        if let Some(input) = dom::document().get_element_by_id(address::view::INPUT)
            && let Ok(input) = input.dyn_into::<HtmlInputElement>()
        {
            input.set_value(text);
            self.edit_address(text.to_owned());
        }
    }

    /// The learner typed into a step: change the plan, and the step's code
    /// line in place (a redraw would move the caret).
    fn on_edit(&self, lesson: LessonId, index: usize, field: Field, value: &str) {
        let mut walk = self.walkthrough(lesson);
        let Some(plan) = &mut walk.plan else { return };
        plan.edit(index, field, value);
        let mut changed = vec![index];
        if lesson == LessonId::Http
            && matches!(field, Field::Host | Field::Port)
            && http::plan::follow_address(plan)
        {
            changed.push(http::plan::SEND_STEP);
        }
        for index in changed {
            let step = &plan.steps[index];
            set_text(&format!("#{}-step-{index} code", lesson.name()), &step.call.python());
            if let (LessonId::Http, Call::Send { text, .. }) = (lesson, &step.call) {
                set_text("#http-request-bytes", &http::view::crlf_visible(text));
                if field != Field::Request
                    && let Some(area) = dom::document().get_element_by_id(&format!("http-request-{index}"))
                    && let Ok(area) = area.dyn_into::<HtmlTextAreaElement>()
                {
                    area.set_value(&text.replace("\r\n", "\n"));
                }
            }
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
                self.draw_lessons();
            }
            BridgeEvent::Unsolicited(incoming) => match incoming.message {
                RelayMessage::ServerLog { server: LessonServer::Hello, thread, peer, event } => {
                    let line = LogLine { thread, peer, event, data: incoming.payload.to_vec() };
                    self.hello.borrow_mut().add_log(line);
                    hello::view::draw_log(&self.hello.borrow(), self.texts());
                }
                RelayMessage::Error { error, .. } => {
                    *self.notice.borrow_mut() = Some(error.to_string());
                    self.draw_status();
                }
                _ => {}
            },
            BridgeEvent::Gone { retry_ms, reason } => {
                *self.relay.borrow_mut() = RelayState::Gone { retry_ms, reason };
                for lesson in LessonId::ALL {
                    self.walkthrough(lesson).relay_lost();
                }
                self.draw_status();
                self.draw_lessons();
            }
        }
    }

    /// Closes the lesson's socket, if open, and starts the lesson over.
    fn reset(self: &Rc<Self>, lesson: LessonId) {
        let open = self.walkthrough(lesson).reset();
        match lesson {
            LessonId::Http => self.http.borrow_mut().clear(),
            LessonId::Hello => self.hello.borrow_mut().log.clear(),
        }
        if let Some(socket) = open {
            let app = Rc::clone(self);
            spawn_local(async move {
                let _ = app.bridge().call(Op::Close { socket }, b"", |_| {}).await;
            });
        }
        self.draw_steps(lesson);
    }

    /// Saves the body the HTTP lesson received, exactly, as `sina.html`.
    fn save_body(&self) {
        let mut lesson = self.http.borrow_mut();
        let Some(plan) = &lesson.walk.plan else { return };
        let Ok(response) = http::response::parse(&plan.received.data) else { return };
        let saved = http::files::download(response.body, "sina.html");
        lesson.download = saved;
    }

    fn switch_language(&self) {
        self.lang.set(self.lang.get().other());
        self.remember_in_url();
        self.draw_all();
        if let Some(button) = dom::document().get_element_by_id("language") {
            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }

    /// Puts the language and the lesson into the address, so a reload or
    /// a shared link shows the same.
    fn remember_in_url(&self) {
        let url = format!("?lang={}&lesson={}", self.lang.get().code(), self.tab.get().name());
        if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
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
        let choices = Tab::ALL.into_iter().enumerate().map(|(index, tab)| {
            let name = match tab {
                Tab::Lesson(LessonId::Http) => texts.http_title,
                Tab::Lesson(LessonId::Hello) => texts.hello_title,
                Tab::Address => texts.address_title,
            };
            el("button").id(&format!("show-{}", tab.name())).action("show-lesson", Some(index)).text(name)
        });
        let nav = el("nav").class("lessons").attr("aria-label", texts.lessons).children(choices);
        let address = address::view::section(&self.address.borrow(), texts);
        let main =
            el("main").children([nav, http::view::section(texts), hello::view::section(texts), address]);
        replace("app", [header, main]);
        self.draw_status();
        self.draw_lesson_choice();
        self.draw_lessons();
        address::view::draw(&self.address.borrow(), texts);
    }

    /// Shows the chosen lesson (or panel) and hides the others.
    fn draw_lesson_choice(&self) {
        let document = dom::document();
        for tab in Tab::ALL {
            let chosen = tab == self.tab.get();
            if let Some(section) = document.get_element_by_id(tab.name()) {
                let _ = section.toggle_attribute_with_force("hidden", !chosen);
            }
            if let Some(button) = document.get_element_by_id(&format!("show-{}", tab.name())) {
                let _ = button.set_attribute("aria-pressed", if chosen { "true" } else { "false" });
            }
        }
    }

    fn draw_lessons(&self) {
        http::view::draw(&self.http.borrow(), self.texts());
        hello::view::draw(&self.hello.borrow(), self.texts());
    }

    fn draw_status(&self) {
        let texts = self.texts();
        let (class, text) = match &*self.relay.borrow() {
            RelayState::Connecting => ("connecting", texts.relay_connecting.to_owned()),
            RelayState::Connected { relay } => ("connected", fill(texts.relay_connected, &[relay])),
            RelayState::Gone { retry_ms, reason } => {
                let retry = fill(texts.relay_gone, &[&retry_ms.div_ceil(1000)]);
                let said = reason.as_ref().map(|reason| fill(texts.relay_said, &[reason]));
                ("gone", said.map_or(retry.clone(), |said| format!("{said} {retry}")))
            }
        };
        let notice = self.notice.borrow().clone().map(|notice| el("span").class("notice").text(&notice));
        replace("relay-status", std::iter::once(el("span").class(class).text(&text)).chain(notice));
    }

    /// Redraws a lesson's steps and what depends on them.
    pub fn draw_steps(&self, lesson: LessonId) {
        match lesson {
            LessonId::Http => http::view::draw_steps(&self.http.borrow(), self.texts()),
            LessonId::Hello => {
                let hello = self.hello.borrow();
                hello::view::draw_steps(&hello, self.texts());
                hello::view::draw_log(&hello, self.texts());
            }
        }
    }

    /// Redraws what shows bytes arriving, for each chunk of a stream.
    pub fn draw_progress(&self, lesson: LessonId) {
        if lesson == LessonId::Http {
            http::view::draw_progress(&self.http.borrow(), self.texts());
        }
    }
}

/// The lesson an element belongs to: its section's `data-lesson`.
fn lesson_of(element: &Element) -> Option<LessonId> {
    let section = element.closest("[data-lesson]").ok().flatten()?;
    LessonId::from_name(&section.get_attribute("data-lesson")?)
}

fn set_text(selector: &str, text: &str) {
    if let Ok(Some(element)) = dom::document().query_selector(selector) {
        element.set_text_content(Some(text));
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
