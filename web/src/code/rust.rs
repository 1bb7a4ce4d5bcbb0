//! The program in Rust, with nothing but the standard library.
//!
//! ```rust,no_run
//! use std::io::{Read, Write};
//! use std::net::TcpStream;
//!
//! fn main() -> std::io::Result<()> {
//!     // std::net makes the socket and connects in one call
//!     let mut s = TcpStream::connect(("127.0.0.1", 9999))?;
//!     s.write(b"Michael")?;
//!     drop(s); // close()
//!     Ok(())
//! }
//! ```
//!
//! The calls are Python's, one for one, with one exception: `std::net` has
//! no socket that is not connected yet, so `socket()` and the `connect()`
//! after it are one line, which carries out both steps. `write` is `send`
//! (it too may take fewer bytes than offered), `read` is `recv`, and
//! dropping the stream closes it. The request is written by
//! [`byte_string`]; the host is a `str`, whose `Debug` form is a Rust
//! literal.

use super::{Line, saves_page};
use crate::steps::call::Call;

const HEADER: [&str; 4] =
    ["use std::io::{Read, Write};", "use std::net::TcpStream;", "", "fn main() -> std::io::Result<()> {"];

/// The tutorial's ending: the header printed, the page saved.
const SAVE_PAGE: [&str; 4] = [
    r#"    let end = data.windows(4).position(|w| w == b"\r\n\r\n").expect("a blank line after the header");"#,
    "    let (header, html) = (&data[..end], &data[end + 4..]);",
    r#"    println!("{}", String::from_utf8_lossy(header));"#,
    r#"    std::fs::write("sina.html", html)?;"#,
];

const FOOTER: [&str; 2] = ["    Ok(())", "}"];

pub(super) fn listing(calls: &[Call]) -> Vec<Line> {
    let mut lines: Vec<Line> = HEADER.map(Line::plain).into();
    for (index, call) in calls.iter().enumerate() {
        if joined(calls, index + 1) {
            continue; // written with the connect that follows
        }
        let first = if joined(calls, index) { index - 1 } else { index };
        let steps = first..index + 1;
        let texts = call_lines(call, first < index);
        lines.extend(texts.into_iter().map(|text| Line { text, steps: steps.clone() }));
    }
    if saves_page(calls) {
        lines.extend(SAVE_PAGE.map(Line::plain));
    }
    lines.extend(FOOTER.map(Line::plain));
    lines
}

/// Whether call `index` is a `connect` right after `socket()`: one line in Rust.
fn joined(calls: &[Call], index: usize) -> bool {
    let before = index.checked_sub(1).and_then(|before| calls.get(before));
    matches!((before, calls.get(index)), (Some(Call::Socket), Some(Call::Connect { .. })))
}

/// A call's lines, in `main`; `with_socket` when a connect makes its socket too.
fn call_lines(call: &Call, with_socket: bool) -> Vec<String> {
    match call {
        Call::Socket => vec!["    // socket(): std::net makes a socket only when it connects".to_owned()],
        Call::Connect { host, port } => {
            let connect = format!("    let mut s = TcpStream::connect(({host:?}, {port}))?;");
            let comment = "    // std::net makes the socket and connects in one call".to_owned();
            if with_socket { vec![comment, connect] } else { vec![connect] }
        }
        Call::Send { text, .. } => vec![format!("    s.write({})?;", byte_string(text.as_bytes()))],
        Call::Recv { max } => vec![
            format!("    let mut buf = [0u8; {max}];"),
            "    let n = s.read(&mut buf)?;".to_owned(),
            r#"    println!("{}", String::from_utf8_lossy(&buf[..n]));"#.to_owned(),
        ],
        Call::RecvLoop { max } => receive_loop(*max),
        Call::Close => vec!["    drop(s); // close()".to_owned()],
    }
}

/// `read` until it returns 0, Python's `b''`: the peer sent FIN.
fn receive_loop(max: u32) -> Vec<String> {
    vec![
        "    let mut data = Vec::new();".to_owned(),
        format!("    let mut buf = [0u8; {max}];"),
        "    loop {".to_owned(),
        "        let n = s.read(&mut buf)?;".to_owned(),
        "        if n == 0 {".to_owned(),
        "            break;".to_owned(),
        "        }".to_owned(),
        "        data.extend_from_slice(&buf[..n]);".to_owned(),
        "    }".to_owned(),
    ]
}

/// `data` as a Rust byte-string literal: `b"GET / HTTP/1.1\r\n"`, with
/// `\xNN` for every byte that is not printable ASCII.
pub fn byte_string(data: &[u8]) -> String {
    let mut out = String::from("b\"");
    for &byte in data {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push('"');
    out
}
