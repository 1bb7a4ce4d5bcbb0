//! Both sides of a conversation in one picture: a sequence diagram.
//!
//! A sequence diagram gives each party a vertical *lane* (its lifeline)
//! and draws time downwards: an arrow from one lane to another is a
//! message (a TCP segment, or the bytes of a `send`), a note on a lane is
//! something that party did by itself (`socket()`, a `recv` returning).
//!
//! * [`Diagram`] is the picture as data, built from a lesson's state by
//!   [`http`] (the client and the web server) or [`hello`] (every client,
//!   the server's listening thread and one lane per connection thread);
//! * [`svg`] draws it as a self-contained SVG file;
//! * [`view`] puts it on the page and saves it.
//!
//! Behind `connect` the kernel sends SYN, receives SYN-ACK and answers ACK:
//! the diagram draws those three segments, though no program sees them,
//! because they are what `connect` waits for. `close` sends FIN.

mod hello;
mod http;
pub mod svg;
pub mod view;

pub use hello::hello;
pub use http::http;

/// The picture as data: the lanes, left to right, and the rows, top to bottom.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagram {
    pub lanes: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row of the diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A message from one lane to another.
    Arrow { from: usize, to: usize, label: String },
    /// Something one party did by itself.
    Note { lane: usize, label: String },
}

impl Diagram {
    /// The lane called `name`, added at the right if it is new.
    pub fn lane(&mut self, name: &str) -> usize {
        match self.lanes.iter().position(|lane| lane == name) {
            Some(lane) => lane,
            None => {
                self.lanes.push(name.to_owned());
                self.lanes.len() - 1
            }
        }
    }

    pub fn arrow(&mut self, from: usize, to: usize, label: impl Into<String>) {
        self.rows.push(Row::Arrow { from, to, label: label.into() });
    }

    pub fn note(&mut self, lane: usize, label: impl Into<String>) {
        self.rows.push(Row::Note { lane, label: label.into() });
    }

    /// The three segments of TCP's handshake, which `connect` waits for.
    pub fn handshake(&mut self, client: usize, server: usize) {
        self.arrow(client, server, "SYN");
        self.arrow(server, client, "SYN-ACK");
        self.arrow(client, server, "ACK");
    }
}

/// `recv() → 8 bytes`, or `recv() → b''` when the peer has closed.
fn recv_label(bytes: usize, size: &str) -> String {
    match bytes {
        0 => "recv() → b''".to_owned(),
        bytes => format!("recv() → {}", crate::i18n::fill(size, &[&bytes])),
    }
}

/// `send(): 7 bytes`.
fn send_label(bytes: usize, size: &str) -> String {
    format!("send(): {}", crate::i18n::fill(size, &[&bytes]))
}
