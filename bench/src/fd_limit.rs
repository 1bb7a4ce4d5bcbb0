//! Room for thousands of open sockets.
//!
//! Every session of a load test holds a WebSocket, and the relay holds two
//! sockets more for each (the page's WebSocket and its TCP connection), plus
//! the Hello server's end. Each socket is a file descriptor, and a process
//! may only have as many open as its `RLIMIT_NOFILE` soft limit allows,
//! which is often 1024. The hard limit above it is usually far higher, and
//! any process may raise its own soft limit up to its hard limit, so that is
//! what a load test does first.

use std::io;

/// Raises the soft limit on open files to the hard limit; returns the new soft limit.
pub fn raise() -> io::Result<libc::rlim_t> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `getrlimit` only writes the `rlimit` we pass, which outlives the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    if limit.rlim_cur < limit.rlim_max {
        limit.rlim_cur = limit.rlim_max;
        // SAFETY: `setrlimit` only reads the `rlimit` we pass, which outlives the call.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(limit.rlim_cur)
}
