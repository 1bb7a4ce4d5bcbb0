//! Errors, as data the page can show.
//!
//! When a socket call fails, the learner should see what Python would have
//! raised: `ConnectionRefusedError: [Errno 111] Connection refused`. So an
//! [`ErrorInfo`] names the Python exception class, the errno when the kernel
//! gave one, and Python's message text. Errors the relay itself raises (a
//! malformed request, a limit) use names of their own that no Python
//! exception has, so the two are never confused.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A failed request, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub kind: ErrorKind,
    /// The kernel's error number, e.g. 111 for ECONNREFUSED; for
    /// `socket.gaierror`, the resolver's (negative) EAI code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errno: Option<i32>,
    /// The text Python would print after the class name.
    pub message: String,
}

/// The class of an error: a Python exception, or one of the relay's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    /// Nobody listens on that port: the peer answered the SYN with a RST.
    ConnectionRefusedError,
    /// The peer reset the connection (a RST arrived).
    ConnectionResetError,
    /// The connection was aborted on this side.
    ConnectionAbortedError,
    /// Sending on a connection whose other end is gone, or never existed.
    BrokenPipeError,
    /// Nothing happened within the time allowed.
    TimeoutError,
    /// The kernel refused the operation (for example, a broadcast address).
    PermissionError,
    /// A number out of its range, such as a port above 65535.
    OverflowError,
    /// Name resolution failed (`getaddrinfo`).
    #[serde(rename = "socket.gaierror")]
    Gaierror,
    /// Any other failed socket call.
    OSError,
    /// The request itself was malformed: bad JSON, unknown operation, unknown socket.
    ProtocolError,
    /// The relay's policy does not allow this destination.
    PolicyError,
    /// The request is over one of the relay's limits.
    LimitError,
}

impl ErrorInfo {
    /// A socket error with an errno, worded as Python words it: `[Errno 111] Connection refused`.
    pub fn os(kind: ErrorKind, errno: i32, description: &str) -> Self {
        ErrorInfo { kind, errno: Some(errno), message: format!("[Errno {errno}] {description}") }
    }

    /// An error without an errno.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ErrorInfo { kind, errno: None, message: message.into() }
    }

    /// A malformed or impossible request.
    pub fn protocol(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ProtocolError, message)
    }

    /// A request over one of the relay's limits.
    pub fn limit(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::LimitError, message)
    }
}

impl ErrorKind {
    /// The class name as Python prints it.
    pub fn python_name(self) -> &'static str {
        match self {
            ErrorKind::ConnectionRefusedError => "ConnectionRefusedError",
            ErrorKind::ConnectionResetError => "ConnectionResetError",
            ErrorKind::ConnectionAbortedError => "ConnectionAbortedError",
            ErrorKind::BrokenPipeError => "BrokenPipeError",
            ErrorKind::TimeoutError => "TimeoutError",
            ErrorKind::PermissionError => "PermissionError",
            ErrorKind::OverflowError => "OverflowError",
            ErrorKind::Gaierror => "socket.gaierror",
            ErrorKind::OSError => "OSError",
            ErrorKind::ProtocolError => "ProtocolError",
            ErrorKind::PolicyError => "PolicyError",
            ErrorKind::LimitError => "LimitError",
        }
    }
}

impl fmt::Display for ErrorInfo {
    /// `ConnectionRefusedError: [Errno 111] Connection refused`, as in a traceback's last line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.python_name(), self.message)
    }
}
