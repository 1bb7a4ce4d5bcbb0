//! The special-purpose address blocks, and which one an address falls in.
//!
//! Most of the address space is *public*: an address there names one machine
//! somewhere on the internet, the same machine whoever asks. The blocks below
//! are different. Their addresses mean something only *relative to the
//! machine that uses them*, so when the relay connects to one it reaches its
//! own machine or its own network, places the page's author could never reach
//! from their own computer. That is the danger of a relay (a "server-side
//! request forgery"): the page borrows the relay's position in the network.
//!
//! The blocks come from IANA's special-purpose address registries (RFC 6890
//! and its updates). Each is written as a network in CIDR notation:
//! `10.0.0.0/8` is every address whose first 8 bits equal those of 10.0.0.0,
//! that is 10.0.0.0 to 10.255.255.255.
//!
//! ## IPv4
//!
//! - **Loopback**, `127.0.0.0/8`: packets to these addresses never leave the
//!   machine; the kernel hands them straight back to itself. Whatever listens
//!   there (databases, admin pages, the relay's own ports) trusts that only
//!   local programs can reach it.
//! - **"This network"**, `0.0.0.0/8`: 0.0.0.0 means "no address yet" or "every
//!   address". Linux treats a connection to 0.0.0.0 as one to the machine
//!   itself, so it is a second spelling of loopback.
//! - **Private** (RFC 1918), `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`:
//!   free for any organisation's internal network, never routed on the
//!   internet. Home routers, printers, office servers and cloud VPCs live
//!   here.
//! - **Carrier-grade NAT** (RFC 6598), `100.64.0.0/10`: the same idea one
//!   level up, between a provider's customers and its NAT; also used by
//!   overlay networks such as Tailscale.
//! - **Link-local**, `169.254.0.0/16`: addresses a machine gives itself when
//!   nothing else configures it, reachable only on the local link. Clouds
//!   put their *metadata service* at 169.254.169.254: ask it over HTTP and it
//!   answers with the machine's credentials. It is the first target of every
//!   SSRF attack.
//! - **Multicast** `224.0.0.0/4`, **reserved** `240.0.0.0/4` and the
//!   **broadcast** address `255.255.255.255`: one-to-many or unused
//!   addresses; TCP cannot use them.
//! - **Documentation** (`192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`)
//!   and **benchmarking** (`198.18.0.0/15`): for examples and test labs;
//!   **IETF protocol assignments** (`192.0.0.0/24`) and the old **6to4 relay
//!   anycast** (`192.88.99.0/24`): for protocol machinery, not for servers.
//!
//! ## IPv6
//!
//! IPv6 has its own loopback (`::1`), unspecified address (`::`), private
//! networks (*unique local addresses*, `fc00::/7`), link-local addresses
//! (`fe80::/10`, and the old site-local `fec0::/10`), multicast (`ff00::/8`),
//! documentation (`2001:db8::/32`, `3fff::/20`), benchmarking
//! (`2001:2::/48`) and discard (`100::/64`) blocks.
//!
//! ## IPv6 addresses that carry an IPv4 address
//!
//! Several IPv6 forms have an IPv4 address written inside them. They are the
//! classic way around a filter that only looks at IPv4:
//!
//! - **IPv4-mapped**, `::ffff:0:0/96`: `::ffff:127.0.0.1` is how an IPv6
//!   socket names the IPv4 address 127.0.0.1. Connecting to it *is*
//!   connecting to 127.0.0.1.
//! - **IPv4-compatible**, `::/96` (deprecated): `::127.0.0.1`, the same idea
//!   from IPv6's early days.
//! - **NAT64**, `64:ff9b::/96`: on an IPv6-only network a NAT64 gateway
//!   translates `64:ff9b::7f00:1` into the IPv4 address 127.0.0.1 (0x7f00_0001)
//!   and connects there. The *local-use* prefix `64:ff9b:1::/48` belongs to
//!   one organisation's own translators, so it is refused outright.
//! - **6to4**, `2002::/16`: the 32 bits after `2002:` are an IPv4 address, so
//!   `2002:c0a8:101::1` leads to 192.168.1.1.
//! - **Teredo**, `2001::/32`: a tunnel through NAT whose address hides an IPv4
//!   address (bit-inverted). It is refused outright.
//!
//! For the first four the IPv4 address inside is taken out and judged by the
//! IPv4 tables: an IPv6 address that carries a public IPv4 address is public.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// One block of special-purpose addresses, and the rule that refuses it.
#[derive(Debug, PartialEq, Eq)]
pub struct Range {
    /// The addresses in the block.
    pub net: IpNet,
    /// The rule's stable short name, as `Refusal::rule` reports it.
    pub rule: &'static str,
    /// What an address in the block is, to follow "127.0.0.1 is ...".
    pub what: &'static str,
}

/// An IPv6 block whose addresses carry an IPv4 address.
#[derive(Debug)]
struct Carrier {
    range: Range,
    /// How far the IPv4 address sits from the end of the IPv6 address, in
    /// bits: 0 when it is the last 32 bits, 80 for 6to4 (`2002:AABB:CCDD::`).
    shift: u32,
}

impl Carrier {
    /// The IPv4 address inside `ip`.
    fn inner(&self, ip: Ipv6Addr) -> Ipv4Addr {
        // The 32 bits after the shift; `as` keeps exactly those.
        Ipv4Addr::from((u128::from(ip) >> self.shift) as u32)
    }
}

/// Why an address is special.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// It lies in a special block.
    In(&'static Range),
    /// An IPv6 address carrying an IPv4 address that is itself special.
    Carries { form: &'static Range, inner: Ipv4Addr, range: &'static Range },
}

/// Why `ip` is special, or `None` for a public address.
pub fn special(ip: IpAddr) -> Option<Special> {
    let v6 = match ip {
        IpAddr::V4(v4) => return find(&IPV4, IpAddr::V4(v4)).map(Special::In),
        IpAddr::V6(v6) => v6,
    };
    if let Some(range) = find(&IPV6, ip) {
        return Some(Special::In(range));
    }
    let carrier = CARRIERS.iter().find(|carrier| carrier.range.net.contains(&ip))?;
    let inner = carrier.inner(v6);
    let range = find(&IPV4, IpAddr::V4(inner))?;
    Some(Special::Carries { form: &carrier.range, inner, range })
}

/// Every rule's name, each once, in table order.
pub fn rule_names() -> Vec<&'static str> {
    let ranges = IPV4.iter().chain(&IPV6).chain(CARRIERS.iter().map(|carrier| &carrier.range));
    let mut names: Vec<&'static str> = Vec::new();
    for range in ranges {
        if !names.contains(&range.rule) {
            names.push(range.rule);
        }
    }
    names
}

fn find(table: &'static [Range], ip: IpAddr) -> Option<&'static Range> {
    table.iter().find(|range| range.net.contains(&ip))
}

const fn v4(ip: [u8; 4], prefix: u8, rule: &'static str, what: &'static str) -> Range {
    let [a, b, c, d] = ip;
    Range { net: IpNet::V4(Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), prefix)), rule, what }
}

const fn v6(ip: Ipv6Addr, prefix: u8, rule: &'static str, what: &'static str) -> Range {
    Range { net: IpNet::V6(Ipv6Net::new_assert(ip, prefix)), rule, what }
}

const fn seg(a: u16, b: u16, c: u16) -> Ipv6Addr {
    Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0)
}

/// The special IPv4 blocks. A more specific block comes before a wider one
/// that holds it (broadcast before reserved), since the first match names
/// the rule.
static IPV4: [Range; 16] = [
    v4([0, 0, 0, 0], 8, "unspecified", "a \"this network\" address (0.0.0.0 stands for this machine)"),
    v4([10, 0, 0, 0], 8, "private", "a private address (RFC 1918)"),
    v4([172, 16, 0, 0], 12, "private", "a private address (RFC 1918)"),
    v4([192, 168, 0, 0], 16, "private", "a private address (RFC 1918)"),
    v4([100, 64, 0, 0], 10, "cgnat", "a carrier-grade NAT address (RFC 6598)"),
    v4([127, 0, 0, 0], 8, "loopback", "a loopback address"),
    v4([169, 254, 0, 0], 16, "link-local", "a link-local address (cloud metadata services answer there)"),
    v4([192, 0, 0, 0], 24, "ietf-protocol", "an IETF protocol-assignment address"),
    v4([192, 0, 2, 0], 24, "documentation", "a documentation address"),
    v4([198, 51, 100, 0], 24, "documentation", "a documentation address"),
    v4([203, 0, 113, 0], 24, "documentation", "a documentation address"),
    v4([192, 88, 99, 0], 24, "6to4-relay", "a 6to4 relay anycast address"),
    v4([198, 18, 0, 0], 15, "benchmarking", "a benchmarking address"),
    v4([224, 0, 0, 0], 4, "multicast", "a multicast address"),
    v4([255, 255, 255, 255], 32, "broadcast", "the broadcast address"),
    v4([240, 0, 0, 0], 4, "reserved", "a reserved address"),
];

/// The special IPv6 blocks, refused whatever they contain. `::` and `::1`
/// lie inside `::/96` (IPv4-compatible) too, so this table is read first.
static IPV6: [Range; 12] = [
    v6(Ipv6Addr::UNSPECIFIED, 128, "ipv6-unspecified", "the unspecified IPv6 address"),
    v6(Ipv6Addr::LOCALHOST, 128, "ipv6-loopback", "the IPv6 loopback address"),
    v6(seg(0xfc00, 0, 0), 7, "ipv6-unique-local", "a unique local IPv6 address (IPv6's private networks)"),
    v6(seg(0xfe80, 0, 0), 10, "ipv6-link-local", "a link-local IPv6 address"),
    v6(seg(0xfec0, 0, 0), 10, "ipv6-site-local", "a site-local IPv6 address (deprecated)"),
    v6(seg(0xff00, 0, 0), 8, "ipv6-multicast", "an IPv6 multicast address"),
    v6(seg(0x0100, 0, 0), 64, "ipv6-discard", "an IPv6 discard address"),
    v6(seg(0x2001, 0x0db8, 0), 32, "ipv6-documentation", "an IPv6 documentation address"),
    v6(seg(0x3fff, 0, 0), 20, "ipv6-documentation", "an IPv6 documentation address"),
    v6(seg(0x2001, 0x0002, 0), 48, "ipv6-benchmarking", "an IPv6 benchmarking address"),
    v6(seg(0x2001, 0, 0), 32, "teredo", "a Teredo address (a tunnel that hides an IPv4 address)"),
    v6(
        seg(0x64, 0xff9b, 1),
        48,
        "nat64-local",
        "a local-use NAT64 address (an organisation's own translator)",
    ),
];

/// The IPv6 blocks that carry an IPv4 address, judged by that address.
static CARRIERS: [Carrier; 4] = [
    Carrier {
        range: v6(
            Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0),
            96,
            "ipv4-mapped",
            "an IPv4-mapped IPv6 address",
        ),
        shift: 0,
    },
    Carrier {
        range: v6(
            Ipv6Addr::UNSPECIFIED,
            96,
            "ipv4-compatible",
            "an IPv4-compatible IPv6 address (deprecated)",
        ),
        shift: 0,
    },
    Carrier { range: v6(seg(0x64, 0xff9b, 0), 96, "nat64", "a NAT64 address"), shift: 0 },
    Carrier { range: v6(seg(0x2002, 0, 0), 16, "6to4", "a 6to4 address"), shift: 80 },
];

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    fn tables() -> impl Iterator<Item = &'static Range> {
        IPV4.iter().chain(&IPV6)
    }

    #[test]
    fn every_block_is_written_as_its_network() {
        // A typo such as 172.16.0.0/11 would be widened silently by the mask.
        for range in tables().chain(CARRIERS.iter().map(|carrier| &carrier.range)) {
            assert_eq!(range.net.trunc(), range.net, "{}", range.rule);
        }
    }

    #[test]
    fn each_block_is_refused_by_its_own_rule_from_end_to_end() {
        // Only a narrower block inside it (broadcast inside reserved) may
        // name an address first; a wider one would hide the narrower's rule.
        for range in tables() {
            for ip in [range.net.network(), range.net.broadcast()] {
                let Some(Special::In(found)) = special(ip) else {
                    panic!("{ip} in {} is not refused", range.net)
                };
                let narrower =
                    range.net.contains(&found.net) && found.net.prefix_len() > range.net.prefix_len();
                assert!(found == range || narrower, "{ip} in {} is refused as {}", range.net, found.net);
            }
        }
    }

    #[test]
    fn rule_names_are_the_documented_ones() {
        assert_eq!(
            rule_names(),
            [
                "unspecified",
                "private",
                "cgnat",
                "loopback",
                "link-local",
                "ietf-protocol",
                "documentation",
                "6to4-relay",
                "benchmarking",
                "multicast",
                "broadcast",
                "reserved",
                "ipv6-unspecified",
                "ipv6-loopback",
                "ipv6-unique-local",
                "ipv6-link-local",
                "ipv6-site-local",
                "ipv6-multicast",
                "ipv6-discard",
                "ipv6-documentation",
                "ipv6-benchmarking",
                "teredo",
                "nat64-local",
                "ipv4-mapped",
                "ipv4-compatible",
                "nat64",
                "6to4",
            ]
        );
    }

    #[test]
    fn the_ipv4_inside_is_found() {
        let cases = [
            ("::ffff:127.0.0.1", "ipv4-mapped", "127.0.0.1"),
            ("::ffff:0.0.0.0", "ipv4-mapped", "0.0.0.0"),
            ("::10.1.2.3", "ipv4-compatible", "10.1.2.3"),
            ("::2", "ipv4-compatible", "0.0.0.2"),
            ("64:ff9b::a9fe:a9fe", "nat64", "169.254.169.254"),
            ("2002:c0a8:101::1", "6to4", "192.168.1.1"),
            ("2002:7f00:1:ffff:ffff:ffff:ffff:ffff", "6to4", "127.0.0.1"),
        ];
        for (ip, rule, want) in cases {
            match special(ip.parse().unwrap()) {
                Some(Special::Carries { form, inner, .. }) => {
                    assert_eq!((form.rule, inner), (rule, want.parse().unwrap()), "{ip}");
                }
                other => panic!("{ip}: {other:?}"),
            }
        }
    }

    #[test]
    fn public_addresses_are_not_special() {
        for ip in
            ["8.8.8.8", "::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2a00:1450::1"]
        {
            assert_eq!(special(ip.parse().unwrap()), None, "{ip}");
        }
    }

    proptest! {
        #[test]
        fn a_carried_ipv4_is_judged_as_itself(bits in any::<u32>()) {
            let v4 = Ipv4Addr::from(bits);
            let refused = special(IpAddr::V4(v4)).is_some();
            let [a, b, c, d] = v4.octets().map(u16::from);
            let carriers = [
                v4.to_ipv6_mapped(),
                v4.to_ipv6_compatible(),
                Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, a << 8 | b, c << 8 | d),
                Ipv6Addr::new(0x2002, a << 8 | b, c << 8 | d, 0, 0, 0, 0, 1),
            ];
            for v6 in carriers {
                prop_assert_eq!(special(IpAddr::V6(v6)).is_some(), refused, "{} carrying {}", v6, v4);
            }
        }
    }
}
