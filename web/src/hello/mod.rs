//! The Hello lesson: the tutorial's client against the tutorial's threaded
//! server, one socket call at a time, with the server's side beside it.
//!
//! * [`plan`]: a client's program;
//! * [`view`]: draws the lesson from its state.
//!
//! The learner may add clients and step each on its own. Against the
//! threaded server every client gets a thread at once; against its
//! single-threaded twin the second client's `connect` succeeds (the
//! kernel finishes the handshake and queues the connection) but its
//! `recv` waits until the first client is gone: the reason for threads.
//!
//! The steps run through [`crate::steps::run`], as every lesson's do.

pub mod plan;
pub mod view;

use std::net::SocketAddr;

use protocol::{LessonServer, ServerEvent, ServerInfo};

use crate::bytes_view::python_repr;
use crate::code::Language;
use crate::steps::Walkthrough;
use crate::steps::call::Field;

/// Keep at most this many server log lines (and moments in the timeline).
const LOG_LINES: usize = 500;

/// How many clients the learner may run at once: enough to see threads
/// at work, few enough to fit the page and the diagram.
pub const MAX_CLIENTS: usize = 4;

/// Everything the lesson knows.
#[derive(Debug)]
pub struct HelloLesson {
    /// The lesson's servers, as the relay's welcome described them.
    pub servers: Vec<ServerInfo>,
    /// The server that clients not yet started connect to.
    pub chosen: LessonServer,
    /// The clients: never empty, and never fewer than the page has drawn.
    /// The first client's program is written once the server's address is known.
    pub clients: Vec<Walkthrough>,
    /// Both servers' logs, for all connections; the view shows ours.
    pub log: Vec<LogLine>,
    /// What happened, in the order the page learned of it: the diagram's rows.
    pub timeline: Vec<Moment>,
    /// The language the clients' programs are listed in.
    pub code: Language,
}

/// One thing the server did, from its log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub thread: String,
    pub peer: SocketAddr,
    pub event: ServerEvent,
    pub data: Vec<u8>,
}

/// Something that happened in the lesson.
#[derive(Debug, Clone, PartialEq)]
pub enum Moment {
    /// A client's step `index` succeeded.
    Step { client: usize, index: usize },
    /// The server logged a line.
    Log(LogLine),
}

impl Default for HelloLesson {
    fn default() -> Self {
        HelloLesson {
            servers: Vec::new(),
            chosen: LessonServer::Hello,
            clients: vec![Walkthrough::default()],
            log: Vec::new(),
            timeline: Vec::new(),
            code: Language::Python,
        }
    }
}

impl HelloLesson {
    /// The relay welcomed the page (again, after a restart) and named its servers.
    pub fn welcome(&mut self, servers: Vec<ServerInfo>) {
        self.servers = servers;
        for walk in &mut self.clients {
            walk.relay_lost();
        }
        let address = self.server().map(|server| server.addr);
        if let (Some(first), Some(address)) = (self.clients.first_mut(), address)
            && first.plan.is_none()
        {
            first.plan = Some(program(address));
        }
    }

    /// Client `client`'s walkthrough (the last one, for a number beyond
    /// them: the page only names clients it has drawn).
    pub fn client(&mut self, client: usize) -> &mut Walkthrough {
        let last = self.clients.len() - 1;
        &mut self.clients[client.min(last)]
    }

    /// The chosen server, if the relay runs it.
    pub fn server(&self) -> Option<&ServerInfo> {
        self.servers.iter().find(|server| server.name == self.chosen)
    }

    /// Adds a client talking to the chosen server, unless there are
    /// [`MAX_CLIENTS`] already (or the relay has not said where it is).
    pub fn add_client(&mut self) {
        let Some(address) = self.server().map(|server| server.addr) else { return };
        if self.clients.len() < MAX_CLIENTS {
            self.clients.push(Walkthrough { plan: Some(program(address)), ..Walkthrough::default() });
        }
    }

    /// Points every client that has not started at `server`.
    pub fn choose(&mut self, server: LessonServer) {
        self.chosen = server;
        let Some(addr) = self.server().map(|server| server.addr) else { return };
        for plan in self.clients.iter_mut().filter_map(|walk| walk.plan.as_mut()) {
            if !plan.started() {
                plan.edit(plan::CONNECT_STEP, Field::Host, &addr.ip().to_string());
                plan.edit(plan::CONNECT_STEP, Field::Port, &addr.port().to_string());
            }
        }
    }

    pub fn add_log(&mut self, line: LogLine) {
        self.timeline.push(Moment::Log(line.clone()));
        self.log.push(line);
        trim(&mut self.log);
        trim(&mut self.timeline);
    }

    /// A client's step succeeded.
    pub fn step_done(&mut self, client: usize, index: usize) {
        self.timeline.push(Moment::Step { client, index });
        trim(&mut self.timeline);
    }

    /// Forgets what happened; the clients start over (their sockets are
    /// closed by the caller).
    pub fn clear(&mut self) {
        self.log.clear();
        self.timeline.clear();
    }

    /// The client whose connection has this local address, if ours.
    pub fn client_at(&self, local: SocketAddr) -> Option<usize> {
        self.clients.iter().position(|walk| {
            walk.plan.as_ref().and_then(|plan| plan.four_tuple()).is_some_and(|(ours, _)| ours == local)
        })
    }

    /// The log lines of our clients' connections.
    pub fn our_log(&self) -> impl Iterator<Item = &LogLine> {
        self.log.iter().filter(|line| self.client_at(line.peer).is_some())
    }
}

/// The tutorial's client, talking to the server at `address`.
fn program(address: SocketAddr) -> crate::steps::plan::Plan {
    plan::tutorial_client(&address.ip().to_string(), address.port(), &plan::TUTORIAL_NAMES)
}

/// Drops the oldest entries beyond [`LOG_LINES`].
fn trim<T>(entries: &mut Vec<T>) {
    if entries.len() > LOG_LINES {
        entries.drain(..entries.len() - LOG_LINES);
    }
}

impl LogLine {
    /// The line as the server printed it, or the call it made.
    pub fn text(&self) -> String {
        let what = match self.event {
            ServerEvent::Accepted => format!("Accept new connection from {}...", self.peer),
            ServerEvent::Received => format!("sock.recv(1024) → {}", python_repr(&self.data)),
            ServerEvent::Sent => format!("sock.send({})", python_repr(&self.data)),
            ServerEvent::Closed => format!("Connection from {} closed.", self.peer),
        };
        format!("[{}] {what}", self.thread)
    }
}
