//! Scale: many idle sessions, each holding one open socket, so that the
//! relay's memory can be read with all of them in place.
//!
//! A classroom leaves most pages idle most of the time: a session opened,
//! a socket connected, and nothing more for minutes. What that costs the
//! relay is what bounds how many learners one machine serves. So each
//! session here opens the relay's WebSocket, makes a socket and connects it
//! to the target's idle server, which holds the connection and says
//! nothing; then the session waits, holding everything open.
//!
//! Sessions open at most `ramp` at a time, for the reason `load` gives:
//! a storm of handshakes overflows accept queues and fails sessions for
//! reasons that say nothing about the relay.

use std::net::SocketAddr;
use std::sync::Arc;

use protocol::Family;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::client::{Client, Failure, SMALL_READS};

/// Opens `sessions` sessions with the relay at `url`, each with one socket
/// connected to `target`; returns them all, or the first failure and how
/// many sessions failed.
pub async fn open(
    url: &str,
    target: SocketAddr,
    sessions: usize,
    ramp: usize,
) -> Result<Vec<Client>, String> {
    let url: Arc<str> = url.into();
    let turns = Arc::new(Semaphore::new(ramp));
    let mut tasks = JoinSet::new();
    for _ in 0..sessions {
        let (url, turns) = (Arc::clone(&url), Arc::clone(&turns));
        tasks.spawn(async move {
            let _turn = turns.acquire_owned().await.expect("the semaphore is never closed");
            open_one(&url, target).await
        });
    }
    let (mut open, mut failed) = (Vec::with_capacity(sessions), Vec::new());
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("a session's task does not panic") {
            Ok(client) => open.push(client),
            Err(failure) => failed.push(failure),
        }
    }
    match failed.first() {
        None => Ok(open),
        Some(first) => Err(format!("{} of {sessions} sessions failed; the first: {first}", failed.len())),
    }
}

/// One session: the WebSocket, `socket`, `connect`.
async fn open_one(url: &str, target: SocketAddr) -> Result<Client, Failure> {
    let (mut client, _) =
        Client::open(url, SMALL_READS).await.map_err(|failure| failure.during("welcome"))?;
    let socket = client.socket(Family::Inet).await.map_err(|failure| failure.during("socket"))?;
    client.connect(socket, target).await.map_err(|failure| failure.during("connect"))?;
    Ok(client)
}
