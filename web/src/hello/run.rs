//! Carries out the lesson's steps through the relay.
//!
//! Each step becomes one request; its answer becomes the step's outcome. The
//! step shows `Running` while the relay works, so a slow answer (the
//! server's one-second pause) is visible as a wait, as it is in Python.

use std::rc::Rc;

use protocol::{ErrorInfo, Family, Op, RelayMessage};

use super::plan::{Call, Outcome, StepState, parse_port};
use crate::app::App;
use crate::bridge::{CallError, Incoming};

/// Runs step `index` if it is the next one and no step is running (a
/// double click must not send twice); returns whether it succeeded.
pub async fn step(app: &Rc<App>, index: usize) -> bool {
    let (call, socket, generation) = {
        let mut lesson = app.hello.borrow_mut();
        let busy = lesson.busy;
        let Some(plan) = &mut lesson.plan else { return false };
        if busy || plan.next() != Some(index) {
            return false;
        }
        plan.steps[index].state = StepState::Running;
        let taken = (plan.steps[index].call.clone(), plan.socket().unwrap_or(0), lesson.generation);
        lesson.busy = true;
        taken
    };
    app.draw_steps();

    let outcome = perform(app, call, socket).await;

    let mut lesson = app.hello.borrow_mut();
    if lesson.generation != generation {
        return false; // reset while we waited: this answer belongs to the old plan
    }
    lesson.busy = false;
    let succeeded = outcome.is_ok();
    if let Some(plan) = &mut lesson.plan {
        plan.steps[index].state = match outcome {
            Ok(outcome) => StepState::Done(outcome),
            Err(error) => StepState::Failed(error),
        };
    }
    drop(lesson);
    app.draw_steps();
    app.draw_log();
    succeeded
}

/// Runs every remaining step in order, stopping at the first failure.
pub async fn all(app: &Rc<App>) {
    loop {
        let next = app.hello.borrow().plan.as_ref().and_then(|plan| plan.next());
        match next {
            Some(index) if step(app, index).await => {}
            _ => return,
        }
    }
}

/// Makes the call and reads its answer.
async fn perform(app: &Rc<App>, call: Call, socket: protocol::SocketId) -> Result<Outcome, CallError> {
    let bridge = app.bridge();
    let no_progress = |_: &Incoming| {};
    match call {
        Call::Socket => {
            let answer = bridge.call(Op::Socket { family: Family::Inet }, b"", no_progress).await?;
            match answer.message {
                RelayMessage::Created { socket, .. } => Ok(Outcome::Created { socket }),
                other => Err(unexpected(&other)),
            }
        }
        Call::Connect { host, port } => {
            let port = parse_port(&port).map_err(CallError::Failed)?;
            let watcher = Rc::clone(app);
            let show_resolved = move |progress: &Incoming| {
                if let RelayMessage::Resolved { addresses, .. } = &progress.message {
                    if let Some(plan) = &mut watcher.hello.borrow_mut().plan {
                        plan.resolved = addresses.clone();
                    }
                    watcher.draw_steps();
                }
            };
            let answer = bridge.call(Op::Connect { socket, host, port }, b"", show_resolved).await?;
            match answer.message {
                RelayMessage::Connected { local, peer, .. } => Ok(Outcome::Connected { local, peer }),
                other => Err(unexpected(&other)),
            }
        }
        Call::Recv { max } => {
            let answer = bridge.call(Op::Recv { socket, max }, b"", no_progress).await?;
            match answer.message {
                RelayMessage::Received { .. } => Ok(Outcome::Received { data: answer.payload.to_vec() }),
                other => Err(unexpected(&other)),
            }
        }
        Call::Send { text, .. } => {
            let answer = bridge.call(Op::Send { socket }, text.as_bytes(), no_progress).await?;
            match answer.message {
                RelayMessage::Sent { bytes, .. } => Ok(Outcome::Sent { bytes, of: text.len() }),
                other => Err(unexpected(&other)),
            }
        }
        Call::Close => {
            let answer = bridge.call(Op::Close { socket }, b"", no_progress).await?;
            match answer.message {
                RelayMessage::Closed { .. } => Ok(Outcome::Closed),
                other => Err(unexpected(&other)),
            }
        }
    }
}

fn unexpected(message: &RelayMessage) -> CallError {
    use protocol::frame::Message as _;
    CallError::Failed(ErrorInfo::protocol(format!(
        "the relay answered with an unexpected `{}`",
        message.name()
    )))
}
