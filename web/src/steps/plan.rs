//! A lesson's program as a list of steps, and where each one is.
//!
//! The plan is plain data: the view draws it, the runner changes it. A
//! step is ready, running, done (with what its call returned) or failed
//! (with the error, and then it can be edited and tried again).

use std::net::{IpAddr, SocketAddr};

use protocol::SocketId;

use super::call::{Call, Field, Outcome};
use crate::bridge::CallError;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exchange<'a> {
    /// True when the client sent the bytes, false when it received them.
    pub sent: bool,
    pub data: &'a [u8],
}

impl Step {
    /// The bytes the step put on the wire or took off it, once it has.
    pub fn exchanged(&self) -> Option<Exchange<'_>> {
        match (&self.call, &self.state) {
            (Call::Send { text, .. }, StepState::Done(Outcome::Sent { .. })) => {
                Some(Exchange { sent: true, data: text.as_bytes() })
            }
            (_, StepState::Done(Outcome::Received { data })) => Some(Exchange { sent: false, data }),
            _ => None,
        }
    }
}

/// What a receive loop has read so far: every byte, and where each `recv`
/// ended, so each chunk can be shown as it arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received {
    pub data: Vec<u8>,
    /// The end of each chunk in `data`.
    pub ends: Vec<usize>,
}

impl Received {
    pub fn push(&mut self, chunk: &[u8]) {
        self.data.extend_from_slice(chunk);
        self.ends.push(self.data.len());
    }

    /// How many `recv` calls returned data.
    pub fn chunks(&self) -> usize {
        self.ends.len()
    }

    /// Chunk `index`'s bytes.
    pub fn chunk(&self, index: usize) -> &[u8] {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.data[start..self.ends[index]]
    }
}

/// A whole program.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// What the name in `connect` resolved to, once known.
    pub resolved: Vec<IpAddr>,
    /// What the receive loop has read.
    pub received: Received,
}

impl Plan {
    pub fn new(calls: Vec<Call>) -> Plan {
        let steps = calls.into_iter().map(|call| Step { call, state: StepState::Ready }).collect();
        Plan { steps, resolved: Vec::new(), received: Received::default() }
    }

    /// The step to run next: the first that has not succeeded.
    pub fn next(&self) -> Option<usize> {
        self.steps.iter().position(|step| !matches!(step.state, StepState::Done(_)))
    }

    /// Whether every step has succeeded.
    pub fn finished(&self) -> bool {
        self.next().is_none()
    }

    /// Whether the learner has started.
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
        match (call, field) {
            (Call::Send { text, editable: true }, Field::Text) => *text = value.to_owned(),
            // A text box gives its line breaks as `\n`; HTTP wants `\r\n`.
            (Call::Send { text, editable: true }, Field::Request) => {
                *text = value.replace("\r\n", "\n").replace('\n', "\r\n");
            }
            (Call::Connect { host, .. }, Field::Host) => *host = value.to_owned(),
            (Call::Connect { port, .. }, Field::Port) => *port = value.to_owned(),
            _ => {}
        }
    }

    /// Every step back to ready; what the learner wrote stays.
    pub fn reset(&mut self) {
        for step in &mut self.steps {
            step.state = StepState::Ready;
        }
        self.resolved.clear();
        self.received = Received::default();
    }
}
