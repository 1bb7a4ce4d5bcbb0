//! The lesson servers' log: printed on the relay's console, and broadcast to
//! every page that watches the server.
//!
//! The servers run on plain threads, so the log is a
//! [`tokio::sync::broadcast`] channel, whose `send` needs no async runtime. A
//! page that falls too far behind is told how many lines it missed.

use std::net::SocketAddr;

use bytes::Bytes;
use protocol::{LessonServer, RelayMessage, ServerEvent};
use tokio::sync::broadcast;

/// How many log entries a slow page may fall behind before it misses some.
const BACKLOG: usize = 1024;

/// One thing a lesson server did with one connection.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub server: LessonServer,
    pub thread: String,
    pub peer: SocketAddr,
    pub event: ServerEvent,
    /// The bytes received or sent; empty for other events.
    pub payload: Bytes,
}

impl LogEntry {
    /// The entry as the message pages receive.
    pub fn to_message(&self) -> RelayMessage {
        RelayMessage::ServerLog {
            server: self.server,
            thread: self.thread.clone(),
            peer: self.peer,
            event: self.event,
        }
    }
}

/// Where lesson servers report what they do.
#[derive(Debug, Clone)]
pub struct LogBus {
    sender: broadcast::Sender<LogEntry>,
}

impl Default for LogBus {
    fn default() -> Self {
        LogBus { sender: broadcast::channel(BACKLOG).0 }
    }
}

impl LogBus {
    /// Tells every watching page; nobody watching is fine.
    pub fn emit(&self, entry: LogEntry) {
        let _ = self.sender.send(entry);
    }

    /// A new watcher, which sees entries from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<LogEntry> {
        self.sender.subscribe()
    }
}
