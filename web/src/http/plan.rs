//! The HTTP lesson's program: the tutorial's first client, which fetches a
//! web page with nothing but a socket.
//!
//! ```python
//! s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//! s.connect(('www.sina.com.cn', 80))
//! s.send(b'GET / HTTP/1.1\r\nHost: www.sina.com.cn\r\nConnection: close\r\n\r\n')
//! buffer = []
//! while d := s.recv(1024): buffer.append(d)
//! s.close()
//! header, html = b''.join(buffer).split(b'\r\n\r\n', 1)
//! ```
//!
//! The learner may change the host, the port and every byte of the request.

use crate::steps::call::{Call, RECV_MAX};
use crate::steps::plan::{Plan, StepState};

/// The tutorial's host and port.
pub const TUTORIAL_HOST: &str = "www.sina.com.cn";
pub const HTTP_PORT: u16 = 80;

/// The step that connects.
pub const CONNECT_STEP: usize = 1;

/// The step that sends the request.
pub const SEND_STEP: usize = 2;

/// The tutorial's request for `/` on `host`.
pub fn tutorial_request(host: &str) -> String {
    format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// The tutorial's program, fetching `/` from `host:port`.
pub fn tutorial_client(host: &str, port: u16) -> Plan {
    Plan::new(vec![
        Call::Socket,
        Call::Connect { host: host.to_owned(), port: port.to_string() },
        Call::Send { text: tutorial_request(&host_field(host, &port.to_string())), editable: true },
        Call::RecvLoop { max: RECV_MAX },
        Call::Close,
    ])
}

/// Keeps the request's `Host:` line saying where `connect` goes, as long
/// as the request has not been sent: HTTP/1.1 servers need it to know
/// which site is meant. Returns whether the request changed.
pub fn follow_address(plan: &mut Plan) -> bool {
    let Some(Call::Connect { host, port }) = plan.steps.get(CONNECT_STEP).map(|step| step.call.clone())
    else {
        return false;
    };
    let Some(step) = plan.steps.get_mut(SEND_STEP).filter(|step| step.state == StepState::Ready) else {
        return false;
    };
    let Call::Send { text, .. } = &mut step.call else { return false };
    let lines: Vec<String> = text
        .split("\r\n")
        .map(|line| match line.split_once(':') {
            Some((name, _)) if name.eq_ignore_ascii_case("host") => {
                format!("{name}: {}", host_field(&host, &port))
            }
            _ => line.to_owned(),
        })
        .collect();
    let followed = lines.join("\r\n");
    let changed = followed != *text;
    *text = followed;
    changed
}

/// The `Host` field's value: the port only when it is not HTTP's own.
fn host_field(host: &str, port: &str) -> String {
    match port.trim() {
        "80" | "" => host.to_owned(),
        port => format!("{host}:{port}"),
    }
}
