//! The Hello lesson's program: the tutorial's client, one socket call a step.
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
//! The learner may edit, add and remove the messages before they are sent.

use crate::steps::call::{Call, RECV_MAX};
use crate::steps::plan::{Plan, Step, StepState};

/// The names the tutorial's client sends.
pub const TUTORIAL_NAMES: [&str; 3] = ["Michael", "Tracy", "Sarah"];

/// The step that connects.
pub const CONNECT_STEP: usize = 1;

/// The tutorial's client, talking to the Hello server at `host:port`.
pub fn tutorial_client(host: &str, port: u16, names: &[&str]) -> Plan {
    let connect = Call::Connect { host: host.to_owned(), port: port.to_string() };
    let mut calls = vec![Call::Socket, connect, Call::Recv { max: RECV_MAX }];
    for name in names {
        calls.push(Call::Send { text: (*name).to_owned(), editable: true });
        calls.push(Call::Recv { max: RECV_MAX });
    }
    calls.push(Call::Send { text: "exit".to_owned(), editable: false });
    calls.push(Call::Close);
    Plan::new(calls)
}

/// Adds a message (a `send` and its `recv`) before the closing `exit`.
pub fn add_message(plan: &mut Plan, text: &str) {
    let exit = plan.steps.len() - 2;
    let send = Call::Send { text: text.to_owned(), editable: true };
    for call in [Call::Recv { max: RECV_MAX }, send] {
        plan.steps.insert(exit, Step { call, state: StepState::Ready });
    }
}

/// Removes the message whose `send` is step `index`, with its `recv`, if
/// neither has run.
pub fn remove_message(plan: &mut Plan, index: usize) {
    let removable = matches!(
        plan.steps.get(index..index + 2),
        Some([
            Step { call: Call::Send { editable: true, .. }, state: StepState::Ready },
            Step { call: Call::Recv { .. }, state: StepState::Ready },
        ])
    );
    if removable {
        plan.steps.drain(index..index + 2);
    }
}
