//! The Hello lesson: the tutorial's client against the tutorial's threaded
//! server, one socket call at a time, with the server's side beside it.
//!
//! * [`plan`]: the client's program;
//! * [`view`]: draws the lesson from its state.
//!
//! The steps run through [`crate::steps::run`], as every lesson's do.

pub mod plan;
pub mod view;

use std::net::SocketAddr;

use protocol::{ServerEvent, ServerInfo};

use crate::bytes_view::python_repr;
use crate::steps::Walkthrough;

/// Keep at most this many server log lines.
const LOG_LINES: usize = 500;

/// Everything the lesson knows.
#[derive(Debug, Default)]
pub struct HelloLesson {
    /// The Hello server, as the relay's welcome described it.
    pub server: Option<ServerInfo>,
    /// The client's program, written once the server's address is known.
    pub walk: Walkthrough,
    /// The server's log, for all connections; the view shows ours.
    pub log: Vec<LogLine>,
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
        self.walk.relay_lost();
        if self.walk.plan.is_none() {
            let (host, port) = (server.addr.ip().to_string(), server.addr.port());
            self.walk.plan = Some(plan::tutorial_client(&host, port, &plan::TUTORIAL_NAMES));
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
        let local = self.walk.plan.as_ref().and_then(|plan| plan.four_tuple()).map(|(local, _)| local);
        self.log.iter().filter(move |line| Some(line.peer) == local)
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
