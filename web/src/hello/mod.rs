//! The Hello lesson: the tutorial's client against the tutorial's threaded
//! server, one socket call at a time, with the server's side beside it.
//!
//! * [`plan`]: the steps and what each returned (plain data);
//! * [`run`]: carries out a step through the relay;
//! * [`view`]: draws the lesson from its state.

pub mod plan;
pub mod run;
pub mod view;

use std::net::SocketAddr;

use protocol::{ServerEvent, ServerInfo};

use crate::bytes_view::python_repr;
use plan::HelloPlan;

/// Keep at most this many server log lines.
const LOG_LINES: usize = 500;

/// Everything the lesson knows.
#[derive(Debug, Default)]
pub struct HelloLesson {
    /// The Hello server, as the relay's welcome described it.
    pub server: Option<ServerInfo>,
    pub plan: Option<HelloPlan>,
    /// The server's log, for all connections; the view shows ours.
    pub log: Vec<LogLine>,
    /// A step is running: the step buttons wait.
    pub busy: bool,
    /// Counts resets, so that a step still running from before a reset
    /// does not write its answer into the new plan.
    pub generation: u32,
    /// The relay restarted under an open socket.
    pub stale: bool,
}

/// One thing the server did, from its log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub thread: String,
    pub peer: SocketAddr,
    pub event: ServerEvent,
    pub data: Vec<u8>,
}

impl HelloLesson {
    /// The relay welcomed the page (again, after a restart).
    pub fn welcome(&mut self, server: ServerInfo) {
        if self.plan.as_ref().is_some_and(|plan| plan.socket_open()) {
            self.stale = true;
        }
        if self.plan.is_none() {
            let names = plan::TUTORIAL_NAMES;
            self.plan = Some(HelloPlan::new(&server.addr.ip().to_string(), server.addr.port(), &names));
        }
        self.server = Some(server);
    }

    pub fn add_log(&mut self, line: LogLine) {
        if self.log.len() == LOG_LINES {
            self.log.remove(0);
        }
        self.log.push(line);
    }

    /// The log lines of this lesson's connection.
    pub fn our_log(&self) -> impl Iterator<Item = &LogLine> {
        let local = self.plan.as_ref().and_then(|plan| plan.four_tuple()).map(|(local, _)| local);
        self.log.iter().filter(move |line| Some(line.peer) == local)
    }

    /// Starts over: every step ready again, the log and any stale socket forgotten.
    pub fn reset(&mut self) {
        self.generation += 1;
        self.busy = false;
        self.stale = false;
        self.log.clear();
        if let Some(plan) = &mut self.plan {
            plan.reset();
        }
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
