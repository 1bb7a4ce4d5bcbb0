//! The Hello lesson as a list of steps: each one socket call of the
//! tutorial's client, in order.
//!
//! ```python
//! s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//! s.connect(('127.0.0.1', 9999))
//! s.recv(1024)                 # b'Welcome!'
//! s.send(b'Michael'); s.recv(1024)   # ... and Tracy, and Sarah
//! s.send(b'exit')
//! s.close()
//! ```
//!
//! The plan is plain data: the view draws it, the runner changes it. The
//! learner may edit, add and remove the messages before they are sent.

use std::net::{IpAddr, SocketAddr};

use protocol::{ErrorInfo, ErrorKind, SocketId};

use crate::bridge::CallError;
use crate::bytes_view::python_repr;

/// How many bytes each `recv` asks for, as in the tutorial.
pub const RECV_MAX: u32 = 1024;

/// The names the tutorial's client sends.
pub const TUTORIAL_NAMES: [&str; 3] = ["Michael", "Tracy", "Sarah"];

/// One socket call.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Socket,
    /// The port is kept as the learner typed it, and checked when it runs.
    Connect {
        host: String,
        port: String,
    },
    Recv {
        max: u32,
    },
    /// `text` is sent as its UTF-8 bytes; the closing `exit` is not editable.
    Send {
        text: String,
        editable: bool,
    },
    Close,
}

/// What a finished call returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Created { socket: SocketId },
    Connected { local: SocketAddr, peer: SocketAddr },
    Sent { bytes: u64, of: usize },
    Received { data: Vec<u8> },
    Closed,
}

/// Where a step is.
#[derive(Debug, Clone, PartialEq)]
pub enum StepState {
    Ready,
    Running,
    Done(Outcome),
    Failed(CallError),
}

impl StepState {
    /// Whether the learner may still change what the step says: before it
    /// runs, and after it failed (to fix and retry it).
    pub fn editable(&self) -> bool {
        matches!(self, StepState::Ready | StepState::Failed(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub call: Call,
    pub state: StepState,
}

/// One line of the conversation, as both sides saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// True when the client sent the bytes, false when it received them.
    pub sent: bool,
    pub data: Vec<u8>,
}

/// The whole lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct HelloPlan {
    pub steps: Vec<Step>,
    /// What the name in `connect` resolved to, once known.
    pub resolved: Vec<IpAddr>,
}

impl HelloPlan {
    /// The tutorial's client, talking to the Hello server at `host:port`.
    pub fn new(host: &str, port: u16, names: &[&str]) -> Self {
        let connect = Call::Connect { host: host.to_owned(), port: port.to_string() };
        let mut calls = vec![Call::Socket, connect, Call::Recv { max: RECV_MAX }];
        for name in names {
            calls.push(Call::Send { text: (*name).to_owned(), editable: true });
            calls.push(Call::Recv { max: RECV_MAX });
        }
        calls.push(Call::Send { text: "exit".to_owned(), editable: false });
        calls.push(Call::Close);
        let steps = calls.into_iter().map(|call| Step { call, state: StepState::Ready }).collect();
        HelloPlan { steps, resolved: Vec::new() }
    }

    /// The step to run next: the first that has not succeeded.
    pub fn next(&self) -> Option<usize> {
        self.steps.iter().position(|step| !matches!(step.state, StepState::Done(_)))
    }

    /// Whether every step has succeeded.
    pub fn finished(&self) -> bool {
        self.next().is_none()
    }

    /// Whether the learner has started (and so the messages are fixed).
    pub fn started(&self) -> bool {
        self.steps.iter().any(|step| step.state != StepState::Ready)
    }

    /// The socket `socket()` created, once it has.
    pub fn socket(&self) -> Option<SocketId> {
        self.steps.iter().find_map(|step| match step.state {
            StepState::Done(Outcome::Created { socket }) => Some(socket),
            _ => None,
        })
    }

    /// The connection's 4-tuple, once connected.
    pub fn four_tuple(&self) -> Option<(SocketAddr, SocketAddr)> {
        self.steps.iter().find_map(|step| match step.state {
            StepState::Done(Outcome::Connected { local, peer }) => Some((local, peer)),
            _ => None,
        })
    }

    /// Whether the socket is open: created and not yet closed.
    pub fn socket_open(&self) -> bool {
        let closed = self.steps.iter().any(|step| step.state == StepState::Done(Outcome::Closed));
        self.socket().is_some() && !closed
    }

    /// Changes what a step that has not run says: the text of an editable
    /// `send`, or the host or port of `connect`.
    pub fn edit(&mut self, index: usize, field: Field, value: &str) {
        let Some(Step { call, state }) = self.steps.get_mut(index) else { return };
        if !state.editable() {
            return;
        }
        let target = match (call, field) {
            (Call::Send { text, editable: true }, Field::Text) => text,
            (Call::Connect { host, .. }, Field::Host) => host,
            (Call::Connect { port, .. }, Field::Port) => port,
            _ => return,
        };
        *target = value.to_owned();
    }

    /// Adds a message (a `send` and its `recv`) before the closing `exit`.
    pub fn add_message(&mut self, text: &str) {
        let exit = self.steps.len() - 2;
        let send = Call::Send { text: text.to_owned(), editable: true };
        for call in [Call::Recv { max: RECV_MAX }, send] {
            self.steps.insert(exit, Step { call, state: StepState::Ready });
        }
    }

    /// Removes the message whose `send` is step `index`, with its `recv`,
    /// if neither has run.
    pub fn remove_message(&mut self, index: usize) {
        let removable = matches!(
            self.steps.get(index..index + 2),
            Some([
                Step { call: Call::Send { editable: true, .. }, state: StepState::Ready },
                Step { call: Call::Recv { .. }, state: StepState::Ready },
            ])
        );
        if removable {
            self.steps.drain(index..index + 2);
        }
    }

    /// Every step back to ready; the messages stay as edited.
    pub fn reset(&mut self) {
        for step in &mut self.steps {
            step.state = StepState::Ready;
        }
        self.resolved.clear();
    }

    /// The conversation so far: every byte sent and received, in order.
    pub fn transcript(&self) -> Vec<Exchange> {
        self.steps
            .iter()
            .filter_map(|step| match (&step.call, &step.state) {
                (Call::Send { text, .. }, StepState::Done(Outcome::Sent { .. })) => {
                    Some(Exchange { sent: true, data: text.as_bytes().to_vec() })
                }
                (_, StepState::Done(Outcome::Received { data })) => {
                    Some(Exchange { sent: false, data: data.clone() })
                }
                _ => None,
            })
            .collect()
    }
}

/// A part of a step the learner can edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Text,
    Host,
    Port,
}

impl Field {
    /// The name used in the page's `data-field` attribute.
    pub fn name(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Host => "host",
            Field::Port => "port",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        [Field::Text, Field::Host, Field::Port].into_iter().find(|field| field.name() == name)
    }
}

/// The port as a number, or the error Python raises for it.
pub fn parse_port(port: &str) -> Result<u16, ErrorInfo> {
    port.trim()
        .parse()
        .map_err(|_| ErrorInfo::new(ErrorKind::OverflowError, "connect(): port must be 0-65535."))
}

impl Call {
    /// The call as a line of the tutorial's Python.
    pub fn python(&self) -> String {
        match self {
            Call::Socket => "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)".to_owned(),
            Call::Connect { host, port } => format!("s.connect(('{host}', {port}))"),
            Call::Recv { max } => format!("s.recv({max})"),
            Call::Send { text, .. } => format!("s.send({})", python_repr(text.as_bytes())),
            Call::Close => "s.close()".to_owned(),
        }
    }
}
