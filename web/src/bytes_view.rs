//! Showing bytes the way a learner can read them.
//!
//! A TCP payload is bytes, not text. The playground shows them twice: as
//! Python writes a `bytes` literal (`b'Hello,Michael!'`, with `\x00` for
//! bytes that are not printable ASCII), and as a hex dump, sixteen bytes a
//! line, the way `xxd` and Wireshark do.

/// The bytes as Python's `repr()` writes them: `b'Welcome!'`.
pub fn python_repr(data: &[u8]) -> String {
    // Python picks double quotes when that avoids escaping single ones.
    let quote = if data.contains(&b'\'') && !data.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::with_capacity(data.len() + 3);
    out.push('b');
    out.push(quote);
    for &byte in data {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if char::from(byte) == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push(quote);
    out
}

/// A hex dump: offset, sixteen bytes in hex, and the same bytes as ASCII
/// (a dot for anything unprintable).
///
/// ```text
/// 00000000  57 65 6c 63 6f 6d 65 21                           |Welcome!|
/// ```
pub fn hex_dump(data: &[u8]) -> String {
    let mut out = String::new();
    for (line, chunk) in data.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|byte| format!("{byte:02x}")).collect();
        let ascii: String = chunk
            .iter()
            .map(|&byte| if (0x20..=0x7e).contains(&byte) { char::from(byte) } else { '.' })
            .collect();
        out.push_str(&format!("{:08x}  {:<47}  |{ascii}|\n", line * 16, hex.join(" ")));
    }
    out
}
