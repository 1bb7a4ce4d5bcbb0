//! The host a page asks for, read the way the resolver will read it.
//!
//! `s.connect(("127.0.0.1", 80))` names its host as text, and one address has
//! many spellings. The C library's resolver (`getaddrinfo`, which Python and
//! this relay both call) first tries to read the text as an address with
//! `inet_aton`, a function older than the dotted quad itself, which accepts:
//!
//! | text          | how it is read                                  |
//! |---------------|-------------------------------------------------|
//! | `127.0.0.1`   | four parts, one byte each                       |
//! | `127.1`       | two parts: a byte, then 24 bits (0.0.1)         |
//! | `127.0.1`     | three parts: two bytes, then 16 bits (0.1)      |
//! | `2130706433`  | one part: all 32 bits (0x7f00_0001)             |
//! | `0x7f.1`      | a part may be hexadecimal (`0x`)...             |
//! | `0177.0.0.1`  | ...or octal (a leading `0`)                     |
//!
//! Each part but the last is one byte; the last fills the bytes that remain.
//! A filter that compares the text with "127.0.0.1" is beaten by every other
//! line of that table, so the text is *normalised* first: whatever the
//! resolver would read as an address becomes a [`Host::Ip`], and the policy
//! judges the address, never the spelling.
//!
//! The other spellings handled here:
//!
//! - **Brackets.** URLs write an IPv6 address in brackets, `[::1]`, to keep
//!   its colons apart from a port; the brackets are not part of the address.
//! - **The trailing dot.** DNS names are rooted: `localhost.` is the full
//!   ("absolute") spelling of `localhost`, so the dot is dropped. What is
//!   left may be an address: `127.0.0.1.` is read as 127.0.0.1.
//! - **Case.** DNS ignores case: `LocalHost` is `localhost`.
//! - **Zone ids.** `fe80::1%eth0` says which network interface to use for a
//!   link-local address. Only link-local addresses need one, and the relay
//!   never connects to those, so a zone id is refused.
//!
//! Text that ends in a number (`256.1.1.1`, `1.2.3.0x100`) is meant as an IPv4
//! address, since no top-level domain is numeric. When `inet_aton` refuses it
//! (a part too large, `08` which is not octal, five parts) glibc's
//! `getaddrinfo` would go on to ask DNS for it as a name; we refuse it with a
//! [`HostError`] instead, which tells the learner what went wrong.
//!
//! Anything else must be a host name: letters, digits, hyphens, underscores
//! and dots, at most 253 characters, each dot-separated label 1 to 63 long.
//!
//! The normalised host (its [`Display`](fmt::Display)) is what the relay
//! resolves, so the text that was checked is the text that is looked up.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest host name DNS carries, without its final dot (RFC 1035).
const MAX_NAME: usize = 253;
/// The longest label, the text between two dots.
const MAX_LABEL: usize = 63;
/// How many characters of a refused host an error message repeats.
const SHOWN: usize = 64;

/// A host, normalised: an address, or a lowercase name without its final dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// Given as an address: connecting to it needs no DNS.
    Ip(IpAddr),
    /// A name, for the resolver to turn into addresses.
    Name(String),
}

/// Why a host's text is not a host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error("the host is empty: name one such as example.com, or an address such as 93.184.216.34")]
    Empty,
    #[error(
        "{host:?} is not a host name: {character:?} may not appear in one (names are letters, digits, hyphens, underscores and dots{})",
        if character.is_ascii() { "" } else { "; an international name is written in its ASCII form, xn--..." }
    )]
    BadCharacter { host: String, character: char },
    #[error("{host:?} is not a host name: it has an empty label (two dots in a row, or a dot at the start)")]
    EmptyLabel { host: String },
    #[error(
        "{host:?} is not a host name: a label (the text between dots) has {length} characters, and at most 63 are allowed"
    )]
    LabelTooLong { host: String, length: usize },
    #[error("the host name has {length} characters, and at most 253 are allowed")]
    TooLong { length: usize },
    #[error(
        "{host:?} ends in a number, so it is read as an IPv4 address, but it is not one: it has one to four parts, each decimal, 0x hexadecimal or 0 octal, each but the last one byte (0 to 255), the last filling the bytes that remain"
    )]
    NotAnAddress { host: String },
    #[error(
        "{host:?} is not an IPv6 address, though it has a colon or brackets (a port is given on its own, not after the host)"
    )]
    NotIpv6 { host: String },
    #[error(
        "{host:?} names a network interface (%{zone}): only link-local addresses need one, and this relay does not connect to those"
    )]
    ZoneId { host: String, zone: String },
}

impl Host {
    /// Reads a host as the resolver would, refusing what is neither an
    /// address nor a well-formed name.
    pub fn parse(text: &str) -> Result<Host, HostError> {
        if text.is_empty() {
            return Err(HostError::Empty);
        }
        if let Some(inside) = text.strip_prefix('[') {
            return match inside.strip_suffix(']') {
                Some(inside) => ipv6(text, inside),
                None => Err(HostError::NotIpv6 { host: shown(text) }),
            };
        }
        if text.contains(':') {
            return ipv6(text, text);
        }
        let name = text.strip_suffix('.').unwrap_or(text);
        if let Some(character) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c))) {
            return Err(HostError::BadCharacter { host: shown(text), character });
        }
        if name.split('.').any(str::is_empty) {
            return Err(HostError::EmptyLabel { host: shown(text) });
        }
        if ends_in_number(name) {
            return match inet_aton(name) {
                Some(ip) => Ok(Host::Ip(IpAddr::V4(ip))),
                None => Err(HostError::NotAnAddress { host: shown(text) }),
            };
        }
        if name.len() > MAX_NAME {
            return Err(HostError::TooLong { length: name.len() });
        }
        if let Some(label) = name.split('.').find(|label| label.len() > MAX_LABEL) {
            return Err(HostError::LabelTooLong { host: shown(text), length: label.len() });
        }
        Ok(Host::Name(name.to_ascii_lowercase()))
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(ip) => ip.fmt(f),
            Host::Name(name) => f.write_str(name),
        }
    }
}

/// `inside` (the text without brackets) as an IPv6 address.
fn ipv6(text: &str, inside: &str) -> Result<Host, HostError> {
    match inside.split_once('%') {
        Some((address, zone)) if address.parse::<Ipv6Addr>().is_ok() => {
            Err(HostError::ZoneId { host: shown(text), zone: shown(zone) })
        }
        _ => match inside.parse::<Ipv6Addr>() {
            Ok(ip) => Ok(Host::Ip(IpAddr::V6(ip))),
            Err(_) => Err(HostError::NotIpv6 { host: shown(text) }),
        },
    }
}

/// Whether the last label is a number (decimal digits, or `0x` and hex
/// digits): the WHATWG URL standard's test for "this is meant as IPv4".
fn ends_in_number(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    match last.strip_prefix("0x").or_else(|| last.strip_prefix("0X")) {
        Some(hex) => hex.chars().all(|c| c.is_ascii_hexdigit()),
        None => !last.is_empty() && last.chars().all(|c| c.is_ascii_digit()),
    }
}

/// glibc's `inet_aton`, as `getaddrinfo` uses it (the whole text must be
/// read): one to four parts, each but the last a byte, the last filling the
/// remaining 32, 24, 16 or 8 bits.
fn inet_aton(text: &str) -> Option<Ipv4Addr> {
    const LAST_MAX: [u32; 4] = [0xffff_ffff, 0x00ff_ffff, 0xffff, 0xff];
    let parts: Vec<&str> = text.split('.').collect();
    let (last, leading) = parts.split_last()?;
    let mut bytes = [0u8; 4];
    if leading.len() >= bytes.len() {
        return None;
    }
    for (byte, part) in bytes.iter_mut().zip(leading) {
        *byte = u8::try_from(number(part)?).ok()?;
    }
    let last = number(last)?;
    if last > *LAST_MAX.get(leading.len())? {
        return None;
    }
    Some(Ipv4Addr::from(u32::from_be_bytes(bytes) | last))
}

/// One part, as C's `strtoul(part, NULL, 0)` reads it: `0x` hexadecimal, a
/// leading `0` octal, else decimal; every character must be a digit.
fn number(part: &str) -> Option<u32> {
    let (digits, radix) = match part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => match part.strip_prefix('0') {
            Some(octal) if !octal.is_empty() => (octal, 8),
            _ => (part, 10),
        },
    };
    // `from_str_radix` would also take a sign, which strtoul's caller refuses.
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u32::from_str_radix(digits, radix).ok()
}

/// The start of `text`, short enough to repeat in a message.
fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    fn ip(text: &str) -> Host {
        Host::Ip(text.parse().expect("a test address"))
    }

    #[test]
    fn every_inet_aton_spelling_becomes_the_address() {
        let cases = [
            ("127.0.0.1", "127.0.0.1"),
            ("2130706433", "127.0.0.1"),
            ("0x7f000001", "127.0.0.1"),
            ("0X7F000001", "127.0.0.1"),
            ("0x7f.1", "127.0.0.1"),
            ("0177.0.0.1", "127.0.0.1"),
            ("0177.0.0.01", "127.0.0.1"),
            ("127.1", "127.0.0.1"),
            ("127.0.1", "127.0.0.1"),
            ("0x7f.0.0x0.1", "127.0.0.1"),
            ("0x7f.0.1", "127.0.0.1"),
            ("0xa9.0376.0xa9fe", "169.254.169.254"),
            ("10.0xffffff", "10.255.255.255"),
            ("192.168.0x101", "192.168.1.1"),
            ("0", "0.0.0.0"),
            ("00", "0.0.0.0"),
            ("0x0", "0.0.0.0"),
            ("4294967295", "255.255.255.255"),
            ("127.0.0.1.", "127.0.0.1"),
            ("2130706433.", "127.0.0.1"),
        ];
        for (text, want) in cases {
            assert_eq!(Host::parse(text), Ok(ip(want)), "{text}");
        }
    }

    #[test]
    fn numbers_that_are_not_addresses_are_refused() {
        for text in [
            "256.1.1.1",
            "1.2.3.0x100",
            "1.2.3.256",
            "1.2.0x10000",
            "1.0x1000000",
            "4294967296",
            "99999999999999999999999",
            "08.1.1.1",
            "1.2.3.09",
            "1.2.3.4.5",
            "0x",
            "0x.1",
            "example.123",
            "0xfg.0x1",
        ] {
            assert_eq!(Host::parse(text), Err(HostError::NotAnAddress { host: text.to_owned() }), "{text}");
        }
    }

    #[test]
    fn brackets_and_ipv6() {
        assert_eq!(Host::parse("[::ffff:127.0.0.1]"), Ok(ip("::ffff:127.0.0.1")));
        assert_eq!(Host::parse("[::1]"), Ok(ip("::1")));
        assert_eq!(Host::parse("2606:4700:4700::1111"), Ok(ip("2606:4700:4700::1111")));
        assert_eq!(Host::parse("FE80::1"), Ok(ip("fe80::1")));
        for text in ["[::1", "[::1]:80", "[127.0.0.1]", "[]", "example.com:80", ":::", "[localhost]"] {
            assert!(matches!(Host::parse(text), Err(HostError::NotIpv6 { .. })), "{text}");
        }
    }

    #[test]
    fn zone_ids_are_refused() {
        let error = Host::parse("fe80::1%eth0").unwrap_err();
        assert_eq!(error, HostError::ZoneId { host: "fe80::1%eth0".into(), zone: "eth0".into() });
        assert!(error.to_string().contains("%eth0"), "{error}");
        assert!(matches!(Host::parse("[fe80::1%25eth0]"), Err(HostError::ZoneId { .. })));
    }

    #[test]
    fn names_are_lowercased_without_their_final_dot() {
        let cases = [
            ("localhost.", "localhost"),
            ("LocalHost", "localhost"),
            ("Example.COM.", "example.com"),
            ("_dmarc.example.com", "_dmarc.example.com"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("123.example", "123.example"),
            ("0x7f.example", "0x7f.example"),
            ("1.0xg", "1.0xg"),
        ];
        for (text, want) in cases {
            let host = Host::parse(text).unwrap();
            assert_eq!(host, Host::Name(want.to_owned()), "{text}");
            assert_eq!(host.to_string(), want);
        }
    }

    #[test]
    fn malformed_names_are_refused_with_the_reason() {
        let bad = |text: &str, character: char| HostError::BadCharacter { host: text.to_owned(), character };
        assert_eq!(Host::parse(""), Err(HostError::Empty));
        assert_eq!(Host::parse("exa mple.com"), Err(bad("exa mple.com", ' ')));
        assert_eq!(Host::parse("example.com "), Err(bad("example.com ", ' ')));
        assert_eq!(Host::parse("a\nb"), Err(bad("a\nb", '\n')));
        assert_eq!(Host::parse("a\0b"), Err(bad("a\0b", '\0')));
        assert_eq!(Host::parse("a/b"), Err(bad("a/b", '/')));
        assert_eq!(Host::parse("127.0.0.1%00"), Err(bad("127.0.0.1%00", '%')));
        assert_eq!(Host::parse("bücher.example"), Err(bad("bücher.example", 'ü')));
        assert_eq!(Host::parse("１２７.0.0.1"), Err(bad("１２７.0.0.1", '１')));
        for text in [".", "..", "a..b", ".example.com", "example.com..", "1..2"] {
            assert_eq!(Host::parse(text), Err(HostError::EmptyLabel { host: text.to_owned() }), "{text}");
        }
        let label = "a".repeat(64);
        assert_eq!(Host::parse(&label), Err(HostError::LabelTooLong { host: shown(&label), length: 64 }));
        assert!(Host::parse(&"a".repeat(63)).is_ok());
        let long = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)].join(".");
        assert_eq!(long.len(), 253);
        assert!(Host::parse(&long).is_ok());
        assert!(Host::parse(&format!("{long}.")).is_ok(), "the final dot does not count");
        assert_eq!(Host::parse(&format!("{long}e")), Err(HostError::TooLong { length: 254 }));
    }

    #[test]
    fn messages_quote_the_host_and_say_what_is_wrong() {
        let message = Host::parse("exa mple").unwrap_err().to_string();
        assert_eq!(
            message,
            "\"exa mple\" is not a host name: ' ' may not appear in one (names are letters, digits, hyphens, underscores and dots)"
        );
        let message = Host::parse("bücher.de").unwrap_err().to_string();
        assert!(message.contains("xn--"), "{message}");
        let message = Host::parse("256.1.1.1").unwrap_err().to_string();
        assert!(message.starts_with("\"256.1.1.1\" ends in a number"), "{message}");
        let long = format!("{} x", "a".repeat(1000));
        let message = Host::parse(&long).unwrap_err().to_string();
        assert!(message.len() < 300, "a long host is shortened: {message}");
    }

    proptest! {
        #[test]
        fn never_panics(text in any::<String>()) {
            let _ = Host::parse(&text);
        }

        #[test]
        fn never_panics_on_address_like_text(text in "[0-9a-fA-FxX.:%\\[\\]]{0,48}") {
            let _ = Host::parse(&text);
        }

        #[test]
        fn every_spelling_of_an_ipv4_address_agrees(n in any::<u32>()) {
            let want = Ok(Host::Ip(IpAddr::V4(Ipv4Addr::from(n))));
            let [a, b, c, d] = n.to_be_bytes();
            prop_assert_eq!(&Host::parse(&n.to_string()), &want);
            prop_assert_eq!(&Host::parse(&format!("{n:#x}")), &want);
            prop_assert_eq!(&Host::parse(&format!("{a}.{b}.{c}.{d}")), &want);
            prop_assert_eq!(&Host::parse(&format!("0{a:o}.0x{b:x}.{c}.0{d:o}")), &want);
            prop_assert_eq!(&Host::parse(&format!("{a}.{}", n & 0x00ff_ffff)), &want);
            prop_assert_eq!(&Host::parse(&format!("{a}.{b}.{:#x}", n & 0xffff)), &want);
        }

        #[test]
        fn an_ipv6_address_reads_back_with_or_without_brackets(bits in any::<u128>()) {
            let ip = Ipv6Addr::from(bits);
            let want = Ok(Host::Ip(IpAddr::V6(ip)));
            prop_assert_eq!(&Host::parse(&ip.to_string()), &want);
            prop_assert_eq!(&Host::parse(&format!("[{ip}]")), &want);
        }

        #[test]
        fn a_host_reads_back_as_itself(text in "[a-zA-Z0-9_-]{1,20}(\\.[a-zA-Z0-9_-]{1,20}){0,4}\\.?") {
            if let Ok(host) = Host::parse(&text) {
                prop_assert_eq!(Host::parse(&host.to_string()), Ok(host));
            }
        }
    }
}
