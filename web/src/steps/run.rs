//! Carries out a lesson's steps through the relay.
//!
//! Each step becomes one request; its answer becomes the step's outcome. The
//! step shows `Running` while the relay works, so a slow answer (the Hello
//! server's one-second pause, a large page) is visible as a wait.
//!
//! A receive loop runs in one of two ways. Stepping makes one `recv` per
//! press, as the tutorial's loop does one per turn, and the step is done
//! when `recv` returns `b''`. Streaming asks the relay to loop by itself
//! (`recv_all`): it sends each chunk as it reads it, with no round trip in
//! between, and the page shows them arrive.

use std::rc::Rc;

use protocol::{Family, Op, RelayMessage, SocketId};

use super::Track;
use super::call::{Call, Outcome, parse_port};
use super::plan::StepState;
use crate::app::App;
use crate::bridge::{CallError, Incoming};

/// How a receive loop runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One `recv` per press.
    Step,
    /// The relay reads until the peer closes and streams every chunk.
    Stream,
}

/// Runs step `index` if it is the next one and no step is running (a
/// double click must not send twice); returns whether it succeeded.
pub async fn step(app: &Rc<App>, track: Track, index: usize, mode: Mode) -> bool {
    let (call, socket, generation) = {
        let mut walk = app.walkthrough(track);
        let (busy, generation) = (walk.busy, walk.generation);
        let Some(plan) = &mut walk.plan else { return false };
        if busy || plan.next() != Some(index) {
            return false;
        }
        plan.steps[index].state = StepState::Running;
        let taken = (plan.steps[index].call.clone(), plan.socket().unwrap_or(0), generation);
        walk.busy = true;
        taken
    };
    app.draw_steps(track);

    let outcome = perform(app, track, call, socket, mode, generation).await;

    let mut walk = app.walkthrough(track);
    if walk.generation != generation {
        return false; // reset while we waited: this answer belongs to the old plan
    }
    walk.busy = false;
    let succeeded = outcome.is_ok();
    if let Some(plan) = &mut walk.plan {
        let looping = matches!(plan.steps[index].call, Call::RecvLoop { .. });
        plan.steps[index].state = match outcome {
            // One turn of the loop: keep the chunk; the loop goes on until b''.
            Ok(Outcome::Received { data }) if looping && !data.is_empty() => {
                plan.received.push(&data);
                StepState::Ready
            }
            Ok(Outcome::Received { .. }) if looping => {
                let received = &plan.received;
                StepState::Done(Outcome::Drained { chunks: received.chunks(), bytes: received.data.len() })
            }
            Ok(outcome) => StepState::Done(outcome),
            Err(error) => StepState::Failed(error),
        };
    }
    drop(walk);
    app.step_ended(track, index);
    succeeded
}

/// Runs every remaining step in order, streaming any receive loop, and
/// stops at the first failure.
pub async fn all(app: &Rc<App>, track: Track) {
    loop {
        let next = app.walkthrough(track).plan.as_ref().and_then(|plan| plan.next());
        match next {
            Some(index) if step(app, track, index, Mode::Stream).await => {}
            _ => return,
        }
    }
}

/// Makes the call and reads its answer.
async fn perform(
    app: &Rc<App>,
    track: Track,
    call: Call,
    socket: SocketId,
    mode: Mode,
    generation: u32,
) -> Result<Outcome, CallError> {
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
                    if let Some(plan) = &mut watcher.walkthrough(track).plan {
                        plan.resolved = addresses.clone();
                    }
                    watcher.draw_steps(track);
                }
            };
            let answer = bridge.call(Op::Connect { socket, host, port }, b"", show_resolved).await?;
            match answer.message {
                RelayMessage::Connected { local, peer, .. } => Ok(Outcome::Connected { local, peer }),
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
        Call::Recv { max } => recv_once(app, socket, max).await,
        Call::RecvLoop { max } if mode == Mode::Step => recv_once(app, socket, max).await,
        Call::RecvLoop { max } => {
            let before = app.walkthrough(track).plan.as_ref().map_or(0, |plan| plan.received.chunks());
            let watcher = Rc::clone(app);
            let keep_chunk = move |progress: &Incoming| {
                if let RelayMessage::Chunk { .. } = progress.message {
                    let mut walk = watcher.walkthrough(track);
                    if walk.generation != generation {
                        return;
                    }
                    if let Some(plan) = &mut walk.plan {
                        plan.received.push(&progress.payload);
                    }
                    drop(walk);
                    watcher.draw_progress(track);
                }
            };
            let answer = bridge.call(Op::RecvAll { socket, max }, b"", keep_chunk).await?;
            match answer.message {
                RelayMessage::Drained { chunks, .. } => {
                    // The relay counts what it read; every chunk must have arrived.
                    let arrived =
                        app.walkthrough(track).plan.as_ref().map_or(0, |plan| plan.received.chunks());
                    // It ends as the tutorial's loop does: the last recv returned b''.
                    match arrived.checked_sub(before) {
                        Some(got) if got as u64 == chunks => Ok(Outcome::Received { data: Vec::new() }),
                        got => Err(CallError::ChunksLost { read: chunks, arrived: got.unwrap_or_default() }),
                    }
                }
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

/// `s.recv(max)`: what one read returned.
async fn recv_once(app: &App, socket: SocketId, max: u32) -> Result<Outcome, CallError> {
    let answer = app.bridge().call(Op::Recv { socket, max }, b"", |_| {}).await?;
    match answer.message {
        RelayMessage::Received { .. } => Ok(Outcome::Received { data: answer.payload.to_vec() }),
        other => Err(unexpected(&other)),
    }
}

fn unexpected(message: &RelayMessage) -> CallError {
    use protocol::frame::Message as _;
    CallError::Unexpected(message.name())
}
