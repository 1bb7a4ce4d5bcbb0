//! The program in Python, as the tutorial writes it.
//!
//! ```python
//! import socket
//!
//! s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//! s.connect(('127.0.0.1', 9999))
//! print(s.recv(1024).decode('utf-8'))
//! s.send(b'Michael')
//! ```
//!
//! Every call is one line, except the receive loop, which is the
//! tutorial's `while True:` loop, all of it the loop's step. What the
//! learner typed goes into literals: the request through
//! [`python_repr`], the host through [`str_literal`], the port as typed.

use super::{Line, saves_page};
use crate::bytes_view::python_repr;
use crate::steps::call::Call;

/// The tutorial's ending: the header printed, the page saved.
const SAVE_PAGE: [&str; 4] = [
    r"header, html = data.split(b'\r\n\r\n', 1)",
    "print(header.decode('utf-8'))",
    "with open('sina.html', 'wb') as f:",
    "    f.write(html)",
];

pub(super) fn listing(calls: &[Call]) -> Vec<Line> {
    let mut lines = vec![Line::plain("import socket"), Line::plain("")];
    for (index, call) in calls.iter().enumerate() {
        let steps = index..index + 1;
        lines.extend(call_lines(call).into_iter().map(|text| Line { text, steps: steps.clone() }));
    }
    if saves_page(calls) {
        lines.extend(SAVE_PAGE.map(Line::plain));
    }
    lines
}

fn call_lines(call: &Call) -> Vec<String> {
    match call {
        Call::Socket => vec!["s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)".to_owned()],
        Call::Connect { host, port } => vec![format!("s.connect(({}, {port}))", str_literal(host))],
        Call::Send { text, .. } => vec![format!("s.send({})", python_repr(text.as_bytes()))],
        Call::Recv { max } => vec![format!("print(s.recv({max}).decode('utf-8'))")],
        Call::RecvLoop { max } => receive_loop(*max),
        Call::Close => vec!["s.close()".to_owned()],
    }
}

/// `recv` until it returns `b''`, the tutorial's way.
fn receive_loop(max: u32) -> Vec<String> {
    vec![
        "buffer = []".to_owned(),
        "while True:".to_owned(),
        format!("    d = s.recv({max})"),
        "    if d:".to_owned(),
        "        buffer.append(d)".to_owned(),
        "    else:".to_owned(),
        "        break".to_owned(),
        "data = b''.join(buffer)".to_owned(),
    ]
}

/// `text` as a Python `str` literal in single quotes.
pub fn str_literal(text: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        match c {
            '\'' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            // Control characters are all below U+00A0: two hex digits do.
            _ if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}
