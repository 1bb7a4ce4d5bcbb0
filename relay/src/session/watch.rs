//! `watch`: a lesson server's log, forwarded to one page.

use protocol::{ErrorInfo, LessonServer};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio_util::sync::CancellationToken;

use super::outbox::Outbox;
use crate::lessons::log::LogEntry;

/// Sends `server`'s entries to the page until the session ends. A page that
/// reads too slowly is told how many entries it missed.
pub async fn forward(
    server: LessonServer,
    mut entries: broadcast::Receiver<LogEntry>,
    out: Outbox,
    cancel: CancellationToken,
) {
    loop {
        let entry = tokio::select! {
            () = cancel.cancelled() => return,
            entry = entries.recv() => entry,
        };
        match entry {
            Ok(entry) if entry.server == server => {
                out.send_with_payload(entry.to_message(), entry.payload).await;
            }
            Ok(_other_server) => {}
            Err(RecvError::Lagged(missed)) => {
                let error = ErrorInfo::limit(format!(
                    "this page missed {missed} entries of the server log because it read them too slowly"
                ));
                out.error(None, None, error).await;
            }
            Err(RecvError::Closed) => return,
        }
    }
}
