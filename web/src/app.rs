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

use protocol::{ErrorInfo, LessonServer, Op, RelayMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, HtmlInputElement, HtmlTextAreaElement, UrlSearchParams};

use crate::address::{self, AddressPanel};
use crate::bridge::{Bridge, BridgeEvent};
use crate::dom::{self, El, el, replace};
use crate::embed;
use crate::hello::{self, HelloLesson, LogLine};
use crate::http::{self, HttpLesson};
use crate::i18n::{Lang, Texts, fill};
use crate::steps::call::{Call, Field};
use crate::steps::plan::StepState;
use crate::steps::run::{self, Mode};
use crate::steps::{LessonId, Track, Walkthrough};

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
    /// Shown at `/embed/<lesson>`, in a course page's frame: that lesson
    /// alone, without the header and the tabs.
    embedded: bool,
    bridge: OnceCell<Bridge>,
    relay: RefCell<RelayState>,
    /// An error from the relay addressed to no call, such as missed log lines.
    notice: RefCell<Option<ErrorInfo>>,
    pub http: RefCell<HttpLesson>,
    pub hello: RefCell<HelloLesson>,
    pub address: RefCell<AddressPanel>,
    /// The last file saved (a diagram), kept until its download has started.
    saved: RefCell<Option<crate::files::ObjectUrl>>,
}

impl App {
    /// Builds the page inside `#app` and connects to the relay. Does nothing
    /// on a page without `#app` (such as the test runner's).
    pub fn mount() {
        let Some(root) = dom::document().get_element_by_id("app") else { return };
        let window = web_sys::window().expect("a browser window");
        let location = window.location();
        let params = location.search().ok().and_then(|search| UrlSearchParams::new_with_str(&search).ok());
        let options = embed::Options::read(&location.pathname().unwrap_or_default(), |name| {
            params.as_ref().and_then(|params| params.get(name))
        });
        let lang = Lang::choose(options.lang.as_deref(), &window.navigator().language().unwrap_or_default());
        let tab = options.lesson.as_deref().and_then(Tab::from_name).unwrap_or(Tab::Lesson(LessonId::Http));
        show_theme(&window, options.theme);
        let app = Rc::new(App {
            lang: Cell::new(lang),
            tab: Cell::new(tab),
            embedded: options.embedded,
            bridge: OnceCell::new(),
            relay: RefCell::new(RelayState::Connecting),
            notice: RefCell::new(None),
            http: RefCell::new(HttpLesson::asked(&options)),
            hello: RefCell::new(HelloLesson::default()),
            address: RefCell::new(AddressPanel::default()),
            saved: RefCell::new(None),
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
        let commanded = Rc::clone(&app);
        embed::listen(move |command| commanded.on_command(command));
    }

    /// A command from the course page that frames this one. A client the
    /// lesson does not have is an `error` event for the course page.
    fn on_command(self: &Rc<Self>, command: embed::Command) {
        let Tab::Lesson(lesson) = self.tab.get() else { return };
        let (action, client) = match command {
            embed::Command::Run { client } => ("run-all", client),
            embed::Command::Step { client } => ("run", client),
            embed::Command::Reset => return self.reset(lesson),
        };
        let clients = match lesson {
            LessonId::Http => 1,
            LessonId::Hello => self.hello.borrow().clients.len(),
        };
        if client > clients {
            let message = fill(self.texts().no_such_client, &[&client, &clients]);
            let (lesson, kind) = (lesson.name(), "CommandError");
            return embed::post(&embed::Event::Error {
                lesson,
                client,
                index: None,
                kind,
                message: &message,
            });
        }
        let track = Track { lesson, client: client - 1 };
        let next = self.walkthrough(track).plan.as_ref().and_then(|plan| plan.next());
        self.on_action(Some(track), action, next);
    }

    pub fn bridge(&self) -> &Bridge {
        self.bridge.get().expect("the bridge is connected at mount")
    }

    fn texts(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// A client's steps and the state of running them.
    pub fn walkthrough(&self, track: Track) -> RefMut<'_, Walkthrough> {
        match track.lesson {
            LessonId::Http => RefMut::map(self.http.borrow_mut(), |http| &mut http.walk),
            LessonId::Hello => RefMut::map(self.hello.borrow_mut(), |hello| hello.client(track.client)),
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
            app.on_action(track_of(&button), &action, index);
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
            if let (Some(track), Some(index), Some(field)) = (track_of(&input), index, field) {
                app.on_edit(track, index, field, &value);
            }
        });
        for (kind, listener) in [("click", on_click), ("input", on_input)] {
            let _ = root.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
            listener.forget(); // for the life of the page
        }
    }

    fn on_action(self: &Rc<Self>, track: Option<Track>, action: &str, index: Option<usize>) {
        let app = Rc::clone(self);
        match (track, action, index) {
            (Some(track), "run", Some(index)) => spawn_local(async move {
                run::step(&app, track, index, Mode::Step).await;
            }),
            (Some(track), "stream", Some(index)) => spawn_local(async move {
                run::step(&app, track, index, Mode::Stream).await;
            }),
            (Some(track), "run-all", _) => spawn_local(async move { run::all(&app, track).await }),
            (Some(track), "reset", _) => self.reset(track.lesson),
            (Some(track), "add-message", _) => {
                if let Some(plan) = &mut self.walkthrough(track).plan {
                    hello::plan::add_message(plan, self.texts().new_message);
                }
                self.draw_steps(track);
            }
            (Some(track), "remove-message", Some(index)) => {
                if let Some(plan) = &mut self.walkthrough(track).plan {
                    hello::plan::remove_message(plan, index);
                }
                self.draw_steps(track);
            }
            (_, "add-client", _) => {
                self.hello.borrow_mut().add_client();
                hello::view::draw(&self.hello.borrow(), self.texts());
            }
            (_, "server", Some(index)) => {
                if let Some(&server) = hello::view::SERVERS.get(index) {
                    self.hello.borrow_mut().choose(server);
                    hello::view::draw(&self.hello.borrow(), self.texts());
                }
            }
            (_, "code-language", Some(index)) => {
                if let Some(&language) = crate::code::Language::ALL.get(index) {
                    self.http.borrow_mut().code = language;
                    self.hello.borrow_mut().code = language;
                    self.draw_lessons();
                }
            }
            (Some(track), "save-diagram", _) => {
                *self.saved.borrow_mut() = crate::diagram::view::save(track.lesson);
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
    fn on_edit(&self, track: Track, index: usize, field: Field, value: &str) {
        let lesson = track.lesson;
        let mut walk = self.walkthrough(track);
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
            set_text(&format!("#{}-step-{index} code", track.prefix()), &step.call.python());
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
                let watched: Vec<LessonServer> = servers.iter().map(|server| server.name).collect();
                self.hello.borrow_mut().welcome(servers);
                for server in watched {
                    let app = Rc::clone(self);
                    spawn_local(async move {
                        let _ = app.bridge().call(Op::Watch { server }, b"", |_| {}).await;
                    });
                }
                self.draw_status();
                self.draw_lessons();
                embed::post(&embed::Event::Ready { lesson: self.tab.get().name() });
            }
            BridgeEvent::Unsolicited(incoming) => match incoming.message {
                RelayMessage::ServerLog { thread, peer, event, .. } => {
                    let line = LogLine { thread, peer, event, data: incoming.payload.to_vec() };
                    self.hello.borrow_mut().add_log(line);
                    hello::view::draw_log(&self.hello.borrow(), self.texts());
                }
                RelayMessage::Error { error, .. } => {
                    *self.notice.borrow_mut() = Some(error);
                    self.draw_status();
                }
                _ => {}
            },
            BridgeEvent::Gone { retry_ms, reason } => {
                *self.relay.borrow_mut() = RelayState::Gone { retry_ms, reason };
                self.http.borrow_mut().walk.relay_lost();
                for walk in &mut self.hello.borrow_mut().clients {
                    walk.relay_lost();
                }
                self.draw_status();
                self.draw_lessons();
            }
        }
    }

    /// Closes the lesson's sockets, if open, and starts the lesson over.
    fn reset(self: &Rc<Self>, lesson: LessonId) {
        let open: Vec<_> = match lesson {
            LessonId::Http => {
                let mut http = self.http.borrow_mut();
                http.clear();
                http.walk.reset().into_iter().collect()
            }
            LessonId::Hello => {
                let mut hello = self.hello.borrow_mut();
                hello.clear();
                hello.clients.iter_mut().filter_map(Walkthrough::reset).collect()
            }
        };
        for socket in open {
            let app = Rc::clone(self);
            spawn_local(async move {
                let _ = app.bridge().call(Op::Close { socket }, b"", |_| {}).await;
            });
        }
        self.draw_steps(Track::first(lesson));
    }

    /// Saves the body the HTTP lesson received, exactly, as `sina.html`.
    fn save_body(&self) {
        let mut lesson = self.http.borrow_mut();
        let Some(plan) = &lesson.walk.plan else { return };
        let Ok(response) = http::response::parse(&plan.received.data) else { return };
        let saved = crate::files::download(response.body, "sina.html");
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
            let _ = html.toggle_attribute_with_force("data-embed", self.embedded);
        }
        document.set_title(texts.title);
        if let Ok(Some(description)) = document.query_selector("meta[name=description]") {
            let _ = description.set_attribute("content", texts.subtitle);
        }
        let status = [
            el("p").id("relay-status").class("status").attr("role", "status"),
            el("button")
                .id("language")
                .action("language", None)
                .attr("aria-label", texts.switch_label)
                .text(texts.switch_to),
        ];
        let lessons = [
            http::view::section(texts),
            hello::view::section(texts),
            address::view::section(&self.address.borrow(), texts),
        ];
        if self.embedded {
            // In a course page's frame: the lesson, with the relay's status and the language switch.
            let bar = el("div").class("embed-bar").children(status);
            replace("app", [el("main").child(bar).children(lessons)]);
        } else {
            let titles = el("div")
                .class("titles")
                .children([el("h1").text(texts.title), el("p").class("subtitle").text(texts.subtitle)]);
            let header = el("header").class("bar").child(titles).children(status);
            replace("app", [header, el("main").child(self.tab_choice(texts)).children(lessons)]);
        }
        self.draw_status();
        self.draw_lesson_choice();
        self.draw_lessons();
        address::view::draw(&self.address.borrow(), texts);
    }

    /// The buttons that choose a lesson, or the address panel.
    fn tab_choice(&self, texts: &Texts) -> El {
        let choices = Tab::ALL.into_iter().enumerate().map(|(index, tab)| {
            let name = match tab {
                Tab::Lesson(LessonId::Http) => texts.http_title,
                Tab::Lesson(LessonId::Hello) => texts.hello_title,
                Tab::Address => texts.address_title,
            };
            el("button").id(&format!("show-{}", tab.name())).action("show-lesson", Some(index)).text(name)
        });
        el("nav").class("lessons").attr("aria-label", texts.lessons).children(choices)
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
        let notice = self.notice.borrow().as_ref().map(|notice| fill(texts.relay_error, &[notice]));
        let notice = notice.map(|notice| el("span").class("notice").text(&notice));
        replace("relay-status", std::iter::once(el("span").class(class).text(&text)).chain(notice));
    }

    /// A step has ended (its state is set): note it, redraw, and give
    /// keyboard focus, if the step's button took it away, to what comes next.
    pub fn step_ended(&self, track: Track, index: usize) {
        let done = {
            let walk = self.walkthrough(track);
            walk.plan.as_ref().is_some_and(|plan| matches!(plan.steps[index].state, StepState::Done(_)))
        };
        if done && track.lesson == LessonId::Hello {
            self.hello.borrow_mut().step_done(track.client, index);
        }
        self.draw_steps(track);
        let (line, result) = shown(track, index);
        set_text(&format!("#{}-announce", track.lesson.name()), &format!("{line}: {result}"));
        self.keep_focus(track);
        self.tell_embedder(track, index, &line, &result);
    }

    /// Tells the course page framing this one (if any) how step `index` ended.
    fn tell_embedder(&self, track: Track, index: usize, line: &str, result: &str) {
        let (lesson, client) = (track.lesson.name(), track.client + 1);
        let walk = self.walkthrough(track);
        let Some(plan) = &walk.plan else { return };
        match &plan.steps[index].state {
            StepState::Done(_) => {
                embed::post(&embed::Event::Step { lesson, client, index, call: line, result })
            }
            StepState::Failed(error) => {
                let (kind, message) = crate::steps::view::failure(error, self.texts());
                let index = Some(index);
                embed::post(&embed::Event::Error { lesson, client, index, kind, message: &message });
            }
            // A turn of a receive loop: the step goes on.
            StepState::Ready | StepState::Running => {}
        }
        if plan.finished() {
            embed::post(&embed::Event::Done { lesson, client });
        }
    }

    /// A disabled button loses focus to the page's body; a keyboard user
    /// would have to start again from the top. Focus the next step, or,
    /// when all have run, the lesson's reset button.
    fn keep_focus(&self, track: Track) {
        let document = dom::document();
        let lost =
            document.active_element().is_none_or(|element| Some(element) == document.body().map(Into::into));
        if !lost {
            return;
        }
        let next = self.walkthrough(track).plan.as_ref().and_then(|plan| plan.next());
        let target = match next {
            Some(index) => crate::steps::view::track_id(track, &format!("step-{index}")),
            None => crate::steps::view::id(track.lesson, "reset"),
        };
        if let Some(element) = document.get_element_by_id(&target) {
            let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }

    /// Redraws a client's steps and what depends on them.
    pub fn draw_steps(&self, track: Track) {
        match track.lesson {
            LessonId::Http => http::view::draw_steps(&self.http.borrow(), self.texts()),
            LessonId::Hello => hello::view::draw_steps(&self.hello.borrow(), self.texts()),
        }
    }

    /// Redraws what shows bytes arriving, for each chunk of a stream.
    pub fn draw_progress(&self, track: Track) {
        if track.lesson == LessonId::Http {
            http::view::draw_progress(&self.http.borrow(), self.texts());
        }
    }
}

/// The client an element belongs to: its section's `data-lesson`, and the
/// `data-client` of its client's part (the first client when it has none).
fn track_of(element: &Element) -> Option<Track> {
    let section = element.closest("[data-lesson]").ok().flatten()?;
    let lesson = LessonId::from_name(&section.get_attribute("data-lesson")?)?;
    let part = element.closest("[data-client]").ok().flatten();
    let client = part.and_then(|part| part.get_attribute("data-client")?.parse().ok()).unwrap_or(0);
    Some(Track { lesson, client })
}

/// Step `index`'s line of code and its result, as the page shows them:
/// said in the lesson's live region (a screen reader reads it out) and
/// told to a course page.
fn shown(track: Track, index: usize) -> (String, String) {
    let texts = |selector: &str| {
        let found = dom::document().query_selector_all(selector).ok();
        let nodes = found.iter().flat_map(|list| (0..list.length()).filter_map(|n| list.item(n)));
        nodes.filter_map(|node| node.text_content()).collect::<Vec<_>>().join(" ")
    };
    let line = texts(&format!("#{}-step-{index} code", track.prefix()));
    // What the step returned, without the explanation beside it.
    let result = texts(&format!(
        "#{}-steps > li:nth-child({}) > .result > p:not(.explain)",
        track.prefix(),
        index + 1
    ));
    (line, result)
}

/// Sets `<html data-theme>`: the one asked for, else the visitor's preference.
fn show_theme(window: &web_sys::Window, theme: Option<embed::Theme>) {
    let dark = || {
        let query = window.match_media("(prefers-color-scheme: dark)").ok().flatten();
        query.is_some_and(|query| query.matches())
    };
    let theme = theme.unwrap_or(if dark() { embed::Theme::Dark } else { embed::Theme::Light });
    if let Some(html) = dom::document().document_element() {
        let _ = html.set_attribute("data-theme", theme.name());
    }
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
