//! Failed socket calls, named as Python would raise them.
//!
//! The kernel reports a failure as an errno (111, ECONNREFUSED). Python turns
//! it into an exception class (`ConnectionRefusedError`) whose message is
//! `[Errno 111] Connection refused`. Rust's `std` already reads the errno into
//! an [`io::ErrorKind`]; this module finishes the translation.

use std::future::Future;
use std::io;
use std::time::Duration;

use protocol::{ErrorInfo, ErrorKind};

/// EBADF: the socket was closed.
pub const EBADF: i32 = 9;
/// EISCONN: `connect` on a socket that is already connected.
pub const EISCONN: i32 = 106;
/// EALREADY: `connect` while the previous `connect` is still under way.
pub const EALREADY: i32 = 114;

/// The error Python would raise for this I/O error.
pub fn python_error(error: &io::Error) -> ErrorInfo {
    let kind = match error.kind() {
        io::ErrorKind::ConnectionRefused => ErrorKind::ConnectionRefusedError,
        io::ErrorKind::ConnectionReset => ErrorKind::ConnectionResetError,
        io::ErrorKind::ConnectionAborted => ErrorKind::ConnectionAbortedError,
        io::ErrorKind::BrokenPipe => ErrorKind::BrokenPipeError,
        io::ErrorKind::TimedOut => ErrorKind::TimeoutError,
        io::ErrorKind::PermissionDenied => ErrorKind::PermissionError,
        _ => ErrorKind::OSError,
    };
    match error.raw_os_error() {
        Some(errno) => ErrorInfo::os(kind, errno, &describe(error, errno)),
        None => ErrorInfo::new(kind, error.to_string()),
    }
}

/// The error Python raises for the kernel error number `errno`.
pub fn errno(errno: i32) -> ErrorInfo {
    python_error(&io::Error::from_raw_os_error(errno))
}

/// Makes a socket call with a time limit, as a Python socket with
/// `settimeout(limit)` would: a failure becomes Python's error, and running
/// out of time becomes `TimeoutError: timed out`.
pub async fn within<T>(limit: Duration, call: impl Future<Output = io::Result<T>>) -> Result<T, ErrorInfo> {
    match tokio::time::timeout(limit, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(python_error(&error)),
        Err(_elapsed) => Err(timed_out()),
    }
}

fn timed_out() -> ErrorInfo {
    ErrorInfo::new(ErrorKind::TimeoutError, "timed out")
}

/// The kernel's description of an error, without Rust's " (os error N)" suffix.
fn describe(error: &io::Error, errno: i32) -> String {
    let text = error.to_string();
    match text.strip_suffix(&format!(" (os error {errno})")) {
        Some(description) => description.to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_becomes_the_python_exception() {
        assert_eq!(errno(111).to_string(), "ConnectionRefusedError: [Errno 111] Connection refused");
        assert_eq!(errno(104).to_string(), "ConnectionResetError: [Errno 104] Connection reset by peer");
        assert_eq!(errno(32).to_string(), "BrokenPipeError: [Errno 32] Broken pipe");
        assert_eq!(errno(EBADF).to_string(), "OSError: [Errno 9] Bad file descriptor");
        assert_eq!(errno(107).to_string(), "OSError: [Errno 107] Transport endpoint is not connected");
    }

    #[test]
    fn errors_without_errno_keep_their_text() {
        let error = io::Error::new(io::ErrorKind::TimedOut, "deadline passed");
        assert_eq!(python_error(&error).to_string(), "TimeoutError: deadline passed");
        assert_eq!(timed_out().to_string(), "TimeoutError: timed out");
    }
}
