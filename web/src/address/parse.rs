//! Reads what the learner typed: an IPv4 address as a dotted quad
//! (`127.0.0.1`) or as one 32-bit integer (`2130706433`, `0x7f000001`), or
//! an IPv6 address (`::1`, `2001:db8::1`).
//!
//! std's parsers decide what is an address (std reads only the dotted
//! quad: the integers are read here). When they refuse, [`read`] finds out
//! why, so that the page can say what is wrong.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why the text is not an address: the problem, and what it concerns
/// (the number, the group, the character...), if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressError {
    pub problem: Problem,
    pub what: String,
}

/// What is wrong. The page's words for each are the lines of
/// `Texts::address_errors`, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing typed.
    Empty,
    /// A character no address has.
    Character,
    /// Not 4 numbers between dots: `what` is how many there are.
    OctetCount,
    /// A number of a dotted quad above 255.
    OctetTooLarge,
    /// A number written with a leading zero, which some programs read as octal.
    LeadingZero,
    /// An integer above 4294967295.
    IntegerTooLarge,
    /// `::` twice.
    TwoDoubleColons,
    /// A group of more than 4 hex digits.
    GroupTooLong,
    /// More groups than fit in 128 bits: `what` is how many.
    TooManyGroups,
    /// Fewer than 8 groups and no `::`: `what` is how many.
    TooFewGroups,
    /// None of the above, yet std refuses it.
    Unrecognised,
}

fn fail(problem: Problem, what: &str) -> AddressError {
    AddressError { problem, what: what.to_owned() }
}

/// Reads the learner's text (surrounding spaces are ignored).
pub fn read(text: &str) -> Result<IpAddr, AddressError> {
    let text = text.trim_ascii();
    if text.contains(':') { ipv6(text).map(IpAddr::V6) } else { ipv4(text).map(IpAddr::V4) }
}

/// An IPv4 address as a dotted quad, a decimal integer or a `0x` integer.
pub fn ipv4(text: &str) -> Result<Ipv4Addr, AddressError> {
    let (digits, radix) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None if text.is_empty() => return Err(fail(Problem::Empty, "")),
        None if all_digits(text) && text.len() > 1 && text.starts_with('0') => {
            return Err(fail(Problem::LeadingZero, text));
        }
        None if all_digits(text) => (text, 10),
        None => return dotted(text),
    };
    match number(digits, radix) {
        Some(value) if value <= u32::MAX.into() => Ok(Ipv4Addr::from(value as u32)),
        Some(_) => Err(fail(Problem::IntegerTooLarge, text)),
        None => Err(bad_character(digits, HEX).unwrap_or(fail(Problem::Unrecognised, ""))),
    }
}

/// A dotted quad, as std reads it; else why not.
fn dotted(text: &str) -> Result<Ipv4Addr, AddressError> {
    if let Ok(address) = text.parse() {
        return Ok(address);
    }
    if let Some(error) = bad_character(text, "0123456789.") {
        return Err(error);
    }
    let octets = text.split('.');
    let count = octets.clone().count();
    if count != 4 {
        return Err(fail(Problem::OctetCount, &count.to_string()));
    }
    for octet in octets {
        if octet.len() > 1 && octet.starts_with('0') {
            return Err(fail(Problem::LeadingZero, octet));
        }
        if number(octet, 10) > Some(255) {
            return Err(fail(Problem::OctetTooLarge, octet));
        }
    }
    Err(fail(Problem::Unrecognised, ""))
}

/// An IPv6 address, as std reads it; else why not.
pub fn ipv6(text: &str) -> Result<Ipv6Addr, AddressError> {
    if let Ok(address) = text.parse() {
        return Ok(address);
    }
    if let Some(error) = bad_character(text, "0123456789abcdef:.") {
        return Err(error);
    }
    let compressed = match text.matches("::").count() {
        0 => false,
        1 => true,
        _ => return Err(fail(Problem::TwoDoubleColons, "")),
    };
    let mut groups = 0;
    for piece in text.split(':').filter(|piece| !piece.is_empty()) {
        groups += 1;
        if piece.contains('.') {
            // An IPv4 address at the end takes two groups.
            dotted(piece)?;
            groups += 1;
        } else if piece.len() > 4 {
            return Err(fail(Problem::GroupTooLong, piece));
        }
    }
    let problem = match (compressed, groups) {
        (true, 8..) | (false, 9..) => Problem::TooManyGroups,
        (false, 0..=7) => Problem::TooFewGroups,
        _ => Problem::Unrecognised,
    };
    Err(fail(problem, &groups.to_string()))
}

const HEX: &str = "0123456789abcdef";

/// The value of `digits` in `radix`, if they are all digits of it (and
/// there are some). Too large a value stays too large, without overflowing.
fn number(digits: &str, radix: u64) -> Option<u64> {
    let mut value = 0;
    for digit in digits.bytes() {
        let digit =
            HEX.bytes().position(|hex| hex == digit.to_ascii_lowercase()).filter(|&d| d < radix as usize)?;
        value = (value * radix + digit as u64).min(1 << 40);
    }
    (!digits.is_empty()).then_some(value)
}

/// The first character of `text` not in `allowed` (nor an upper-case one
/// of its letters), as an error.
fn bad_character(text: &str, allowed: &str) -> Option<AddressError> {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|byte| !allowed.as_bytes().contains(&byte.to_ascii_lowercase()))?;
    // The character: its first byte, and the continuation bytes (0b10xxxxxx) after it.
    let end =
        (start + 1..bytes.len()).find(|&at| bytes[at] < 0x80 || bytes[at] >= 0xc0).unwrap_or(bytes.len());
    Some(fail(Problem::Character, text.get(start..end).unwrap_or_default()))
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}
