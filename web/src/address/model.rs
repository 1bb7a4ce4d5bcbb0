//! What there is to know about an address: its other spellings, its bits,
//! and the kind of address it is. Plain Rust, tested natively.

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

/// What an IPv4 address is for. The page's words for each are the lines
/// of `Texts::v4_kinds`, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V4Kind {
    /// `0.0.0.0`: every interface, for a server that binds it.
    Unspecified,
    Loopback,
    /// RFC 1918.
    Private,
    LinkLocal,
    Documentation,
    Multicast,
    Broadcast,
    /// Other special-purpose blocks.
    Reserved,
    Public,
}

/// What an IPv6 address is for; in words, the lines of `Texts::v6_kinds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V6Kind {
    Unspecified,
    Loopback,
    /// `::ffff:a.b.c.d`: an IPv4 address.
    Ipv4Mapped,
    Documentation,
    LinkLocal,
    UniqueLocal,
    Multicast,
    Global,
    /// Outside the blocks in use.
    Reserved,
}

/// The kind of an IPv4 address, and the block that makes it so (none for
/// a public address).
pub fn v4_kind(address: Ipv4Addr) -> (V4Kind, &'static str) {
    use V4Kind::*;
    match address.octets() {
        [0, 0, 0, 0] => (Unspecified, "0.0.0.0/32"),
        [255, 255, 255, 255] => (Broadcast, "255.255.255.255/32"),
        [0, ..] => (Reserved, "0.0.0.0/8"),
        [127, ..] => (Loopback, "127.0.0.0/8"),
        [10, ..] => (Private, "10.0.0.0/8"),
        [172, 16..=31, ..] => (Private, "172.16.0.0/12"),
        [192, 168, ..] => (Private, "192.168.0.0/16"),
        [100, 64..=127, ..] => (Reserved, "100.64.0.0/10"),
        [169, 254, ..] => (LinkLocal, "169.254.0.0/16"),
        [192, 0, 2, _] => (Documentation, "192.0.2.0/24"),
        [198, 51, 100, _] => (Documentation, "198.51.100.0/24"),
        [203, 0, 113, _] => (Documentation, "203.0.113.0/24"),
        [192, 0, 0, _] => (Reserved, "192.0.0.0/24"),
        [198, 18..=19, ..] => (Reserved, "198.18.0.0/15"),
        [224..=239, ..] => (Multicast, "224.0.0.0/4"),
        [240..=255, ..] => (Reserved, "240.0.0.0/4"),
        _ => (Public, ""),
    }
}

/// The kind of an IPv6 address, and the block that makes it so (none for
/// one outside the blocks in use).
pub fn v6_kind(address: Ipv6Addr) -> (V6Kind, &'static str) {
    use V6Kind::*;
    match address.segments() {
        [0, 0, 0, 0, 0, 0, 0, 0] => (Unspecified, "::/128"),
        [0, 0, 0, 0, 0, 0, 0, 1] => (Loopback, "::1/128"),
        [0, 0, 0, 0, 0, 0xffff, _, _] => (Ipv4Mapped, "::ffff:0:0/96"),
        [0x2001, 0xdb8, ..] => (Documentation, "2001:db8::/32"),
        [0xfe80..=0xfebf, ..] => (LinkLocal, "fe80::/10"),
        [0xfc00..=0xfdff, ..] => (UniqueLocal, "fc00::/7"),
        [0xff00..=0xffff, ..] => (Multicast, "ff00::/8"),
        [0x2000..=0x3fff, ..] => (Global, "2000::/3"),
        _ => (Reserved, ""),
    }
}

/// `0x7f000001`: the 32 bits as 8 hex digits.
pub fn v4_hex(address: Ipv4Addr) -> String {
    format!("0x{:08x}", u32::from(address))
}

/// `0x00000000000000000000000000000001`: the 128 bits as 32 hex digits.
pub fn v6_hex(address: Ipv6Addr) -> String {
    format!("0x{:032x}", u128::from(address))
}

/// Every group written out: 8 groups of 4 hex digits.
pub fn expanded(address: Ipv6Addr) -> String {
    let [a, b, c, d, e, f, g, h] = address.segments();
    format!("{a:04x}:{b:04x}:{c:04x}:{d:04x}:{e:04x}:{f:04x}:{g:04x}:{h:04x}")
}

/// The 4 bytes, each its decimal value above its 8 bits:
///
/// ```text
/// 127      0        0        1
/// 01111111 00000000 00000000 00000001
/// ```
pub fn v4_bits(address: Ipv4Addr) -> String {
    boxes(&address.octets().map(u16::from), 8)
}

/// The 8 groups, each its 4 hex digits above its 16 bits, 4 groups a line.
pub fn v6_bits(address: Ipv6Addr) -> String {
    let groups = address.segments();
    format!("{}\n{}", boxes(&groups[..4], 16), boxes(&groups[4..], 16))
}

/// Each value's label (decimal for bytes, 4 hex digits for groups) above
/// its `width` bits, a space between them.
fn boxes(values: &[u16], width: usize) -> String {
    let (mut labels, mut bits) = (String::new(), String::new());
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            while labels.len() < index * (width + 1) {
                labels.push(' ');
            }
            bits.push(' ');
        }
        let _ = match width {
            8 => write!(labels, "{value}"),
            _ => write!(labels, "{value:04x}"),
        };
        for bit in (0..width).rev() {
            bits.push(if value >> bit & 1 == 1 { '1' } else { '0' });
        }
    }
    format!("{labels}\n{bits}")
}
