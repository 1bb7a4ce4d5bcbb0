//! The address panel's logic, natively: reading what the learner types,
//! the other spellings, the bits, the kinds, and the errors in both
//! languages. (The panel itself is tested in Chromium, from
//! `relay/tests/browser/address.rs`.)

#![cfg(not(target_arch = "wasm32"))]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use web::address::model::{V4Kind, V6Kind, expanded, v4_bits, v4_hex, v4_kind, v6_bits, v6_hex, v6_kind};
use web::address::parse::{AddressError, Problem, read};
use web::address::view::error_text;
use web::i18n::{EN, ZH, line};

fn v4(text: &str) -> Ipv4Addr {
    match read(text) {
        Ok(IpAddr::V4(address)) => address,
        other => panic!("{text:?} is an IPv4 address: {other:?}"),
    }
}

fn v6(text: &str) -> Ipv6Addr {
    match read(text) {
        Ok(IpAddr::V6(address)) => address,
        other => panic!("{text:?} is an IPv6 address: {other:?}"),
    }
}

fn error(text: &str) -> AddressError {
    read(text).expect_err(text)
}

/// The problem, and what it concerns.
fn problem(text: &str) -> (Problem, String) {
    let error = error(text);
    (error.problem, error.what)
}

fn is(problem: Problem, what: &str) -> (Problem, String) {
    (problem, what.to_owned())
}

#[test]
fn dotted_quads_and_integers_are_the_same_address() {
    for (dotted, integer, hex) in [
        ("127.0.0.1", 2130706433_u32, "0x7f000001"),
        ("0.0.0.0", 0, "0x00000000"),
        ("255.255.255.255", u32::MAX, "0xffffffff"),
        ("0.0.0.255", 255, "0x000000ff"),
        ("0.0.1.0", 256, "0x00000100"),
        ("192.168.1.10", 3232235786, "0xc0a8010a"),
        ("1.2.3.4", 0x01020304, "0x01020304"),
    ] {
        let address = v4(dotted);
        assert_eq!(address.to_string(), dotted);
        assert_eq!(u32::from(address), integer, "{dotted}");
        assert_eq!(v4_hex(address), hex);
        assert_eq!(v4(&integer.to_string()), address, "{integer} reads as {dotted}");
        assert_eq!(v4(hex), address, "{hex} reads as {dotted}");
    }
    assert_eq!(v4("0X7F000001"), Ipv4Addr::LOCALHOST);
    assert_eq!(v4("0x1"), Ipv4Addr::new(0, 0, 0, 1));
    assert_eq!(v4("0"), Ipv4Addr::UNSPECIFIED);
    assert_eq!(v4("  127.0.0.1 \n"), Ipv4Addr::LOCALHOST, "spaces around are ignored");
    assert_eq!(v4("4294967295"), Ipv4Addr::BROADCAST);
}

#[test]
fn each_octet_over_its_bits() {
    assert_eq!(
        v4_bits(Ipv4Addr::LOCALHOST),
        "127      0        0        1\n01111111 00000000 00000000 00000001"
    );
    assert_eq!(
        v4_bits(Ipv4Addr::UNSPECIFIED),
        format!("0        0        0        0\n{}", ["00000000"; 4].join(" "))
    );
    assert_eq!(
        v4_bits(Ipv4Addr::BROADCAST),
        "255      255      255      255\n11111111 11111111 11111111 11111111"
    );
    assert_eq!(
        v4_bits(Ipv4Addr::new(192, 168, 1, 10)),
        "192      168      1        10\n11000000 10101000 00000001 00001010"
    );
    // Each label sits above its own bits, and the bits read back as the integer.
    let address = Ipv4Addr::new(10, 20, 30, 40);
    let text = v4_bits(address);
    let (labels, bits) = text.split_once('\n').unwrap();
    for (octet, start) in [(10, 0), (20, 9), (30, 18), (40, 27)] {
        assert!(labels[start..].starts_with(&octet.to_string()), "{text}");
        assert_eq!(u8::from_str_radix(&bits[start..start + 8], 2), Ok(octet), "{text}");
    }
    assert_eq!(u32::from_str_radix(&bits.replace(' ', ""), 2), Ok(u32::from(address)));
}

#[test]
fn ipv6_compressed_and_expanded() {
    for (typed, compressed, full) in [
        ("::", "::", "0000:0000:0000:0000:0000:0000:0000:0000"),
        ("::1", "::1", "0000:0000:0000:0000:0000:0000:0000:0001"),
        ("1::", "1::", "0001:0000:0000:0000:0000:0000:0000:0000"),
        ("2001:db8::1", "2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001"),
        ("fe80::1", "fe80::1", "fe80:0000:0000:0000:0000:0000:0000:0001"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1", "0000:0000:0000:0000:0000:ffff:7f00:0001"),
        ("::FFFF:7F00:1", "::ffff:127.0.0.1", "0000:0000:0000:0000:0000:ffff:7f00:0001"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001"),
        // The longest run of zeros is the one shortened; the first, if two are as long.
        ("2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::", "2001:0db8:0000:0000:0001:0000:0000:0000"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "2001:0db8:0000:0000:0001:0000:0000:0001"),
        // A single zero group is not shortened.
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", "2001:0db8:0000:0001:0001:0001:0001:0001"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", "0001:0002:0003:0004:0005:0006:0007:0000"),
    ] {
        let address = v6(typed);
        assert_eq!(address.to_string(), compressed, "{typed}");
        assert_eq!(expanded(address), full, "{typed}");
        assert_eq!(v6(full), address, "the expanded form reads back");
        assert_eq!(v6(compressed), address, "the compressed form reads back");
    }
}

#[test]
fn ipv6_is_one_128_bit_number() {
    for (typed, hex, integer) in [
        ("::", "0x00000000000000000000000000000000", "0"),
        ("::1", "0x00000000000000000000000000000001", "1"),
        ("::ffff:127.0.0.1", "0x00000000000000000000ffff7f000001", "281472812449793"),
        ("2001:db8::1", "0x20010db8000000000000000000000001", "42540766411282592856903984951653826561"),
        (
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "0xffffffffffffffffffffffffffffffff",
            "340282366920938463463374607431768211455",
        ),
    ] {
        let address = v6(typed);
        assert_eq!(v6_hex(address), hex, "{typed}");
        assert_eq!(u128::from(address).to_string(), integer, "{typed}");
        // The hex digits are the expanded groups, run together.
        assert_eq!(hex[2..], expanded(address).replace(':', ""), "{typed}");
    }
}

#[test]
fn each_group_over_its_bits() {
    let mapped = v6("::ffff:127.0.0.1");
    let bits = v6_bits(mapped);
    let lines: Vec<&str> = bits.lines().collect();
    assert_eq!(lines.len(), 4, "{bits}");
    let label = |group: &str| format!("{group:<16} ");
    assert_eq!(lines[0], ["0000"; 4].map(label).concat().trim_end());
    assert_eq!(lines[1], ["0000000000000000"; 4].join(" "));
    assert_eq!(lines[2], ["0000", "ffff", "7f00", "0001"].map(label).concat().trim_end());
    assert_eq!(lines[3], "0000000000000000 1111111111111111 0111111100000000 0000000000000001");
    let all = [lines[1], lines[3]].concat().replace(' ', "");
    assert_eq!(u128::from_str_radix(&all, 2), Ok(u128::from(mapped)));
}

#[test]
fn each_ipv4_address_has_its_kind() {
    for (address, kind, block) in [
        ("0.0.0.0", V4Kind::Unspecified, "0.0.0.0/32"),
        ("0.1.2.3", V4Kind::Reserved, "0.0.0.0/8"),
        ("127.0.0.1", V4Kind::Loopback, "127.0.0.0/8"),
        ("127.255.255.254", V4Kind::Loopback, "127.0.0.0/8"),
        ("10.1.2.3", V4Kind::Private, "10.0.0.0/8"),
        ("172.16.0.1", V4Kind::Private, "172.16.0.0/12"),
        ("172.31.255.255", V4Kind::Private, "172.16.0.0/12"),
        ("172.32.0.1", V4Kind::Public, ""),
        ("192.168.1.10", V4Kind::Private, "192.168.0.0/16"),
        ("100.64.0.1", V4Kind::Reserved, "100.64.0.0/10"),
        ("100.128.0.1", V4Kind::Public, ""),
        ("169.254.1.1", V4Kind::LinkLocal, "169.254.0.0/16"),
        ("192.0.2.1", V4Kind::Documentation, "192.0.2.0/24"),
        ("203.0.113.7", V4Kind::Documentation, "203.0.113.0/24"),
        ("224.0.0.251", V4Kind::Multicast, "224.0.0.0/4"),
        ("239.255.255.250", V4Kind::Multicast, "224.0.0.0/4"),
        ("240.0.0.1", V4Kind::Reserved, "240.0.0.0/4"),
        ("255.255.255.255", V4Kind::Broadcast, "255.255.255.255/32"),
        ("8.8.8.8", V4Kind::Public, ""),
    ] {
        assert_eq!(v4_kind(address.parse().unwrap()), (kind, block), "{address}");
    }
}

#[test]
fn each_ipv6_address_has_its_kind() {
    for (address, kind, block) in [
        ("::", V6Kind::Unspecified, "::/128"),
        ("::1", V6Kind::Loopback, "::1/128"),
        ("::ffff:127.0.0.1", V6Kind::Ipv4Mapped, "::ffff:0:0/96"),
        ("2001:db8::1", V6Kind::Documentation, "2001:db8::/32"),
        ("fe80::1", V6Kind::LinkLocal, "fe80::/10"),
        ("febf::1", V6Kind::LinkLocal, "fe80::/10"),
        ("fec0::1", V6Kind::Reserved, ""),
        ("fd12:3456::1", V6Kind::UniqueLocal, "fc00::/7"),
        ("ff02::1", V6Kind::Multicast, "ff00::/8"),
        ("2606:4700::1111", V6Kind::Global, "2000::/3"),
        ("3fff:ffff::1", V6Kind::Global, "2000::/3"),
        ("4000::1", V6Kind::Reserved, ""),
        ("::2", V6Kind::Reserved, ""),
    ] {
        assert_eq!(v6_kind(address.parse().unwrap()), (kind, block), "{address}");
    }
}

#[test]
fn ipv4_errors_say_what_is_wrong() {
    use Problem::*;
    assert_eq!(problem(""), is(Empty, ""));
    assert_eq!(problem("   "), is(Empty, ""));
    assert_eq!(problem("256.0.0.1"), is(OctetTooLarge, "256"));
    assert_eq!(problem("127.0.0.1000"), is(OctetTooLarge, "1000"));
    assert_eq!(problem("1.2.3.99999999999999"), is(OctetTooLarge, "99999999999999"));
    assert_eq!(problem("1.2.3"), is(OctetCount, "3"));
    assert_eq!(problem("1.2.3.4.5"), is(OctetCount, "5"));
    assert_eq!(problem("127.0.0.01"), is(LeadingZero, "01"));
    assert_eq!(problem("010"), is(LeadingZero, "010"));
    assert_eq!(problem("4294967296"), is(IntegerTooLarge, "4294967296"));
    assert_eq!(problem("99999999999999999999999"), is(IntegerTooLarge, "99999999999999999999999"));
    assert_eq!(problem("0x100000000"), is(IntegerTooLarge, "0x100000000"));
    assert_eq!(problem("0x7g"), is(Character, "g"));
    assert_eq!(problem("-1"), is(Character, "-"));
    assert_eq!(problem("+1.2.3.4"), is(Character, "+"));
    assert_eq!(problem("127. 0.0.1"), is(Character, " "));
    assert_eq!(problem("127.0.0.1é"), is(Character, "é"));
    assert_eq!(problem("1.2.3.中"), is(Character, "中"));
    assert_eq!(problem("localhost"), is(Character, "l"));
    assert_eq!(problem("0x"), is(Unrecognised, ""));
    assert_eq!(problem("1..3.4"), is(Unrecognised, ""));
}

#[test]
fn ipv6_errors_say_what_is_wrong() {
    use Problem::*;
    assert_eq!(problem("1::2::3"), is(TwoDoubleColons, ""));
    assert_eq!(problem("::1::"), is(TwoDoubleColons, ""));
    assert_eq!(problem("1:2:3:4:5:6:7:8:9"), is(TooManyGroups, "9"));
    assert_eq!(problem("1:2:3:4::5:6:7:8"), is(TooManyGroups, "8"));
    assert_eq!(problem("1:2:3:4:5:6:7:1.2.3.4"), is(TooManyGroups, "9"));
    assert_eq!(problem("1:2:3:4:5:6:7"), is(TooFewGroups, "7"));
    assert_eq!(problem("fe80:1"), is(TooFewGroups, "2"));
    assert_eq!(problem("12345::1"), is(GroupTooLong, "12345"));
    assert_eq!(problem("2001:db8::g"), is(Character, "g"));
    assert_eq!(problem("fe80::1%eth0"), is(Character, "%"));
    assert_eq!(problem("[::1]:80"), is(Character, "["));
    assert_eq!(problem("::ffff:300.0.0.1"), is(OctetTooLarge, "300"));
    assert_eq!(problem("::ffff:1.2.3"), is(OctetCount, "3"));
    assert_eq!(problem("1.2.3.4::").0, Unrecognised);
}

#[test]
fn errors_are_told_in_both_languages() {
    assert_eq!(error_text(&error("256.0.0.1"), &EN), "256 is above 255: a byte holds 0 to 255.");
    assert_eq!(error_text(&error("256.0.0.1"), &ZH), "256 大于 255：一个字节只能是 0 到 255。");
    assert_eq!(
        error_text(&error("1::2::3"), &EN),
        "“::” twice: it may stand for one run of zero groups only."
    );
    assert_eq!(error_text(&error("1::2::3"), &ZH), "“::”出现了两次：它只能代替一段全零组。");
    assert_eq!(
        error_text(&error("1:2:3:4:5:6:7:8:9"), &EN),
        "9 groups: IPv6 has 8 (with ::, at most 7 written)."
    );
    assert_eq!(error_text(&error("1?"), &EN), "“?” cannot be part of an address.");
    assert_eq!(error_text(&error("1?"), &ZH), "“?”不能出现在地址中。");
    assert_eq!(error_text(&error("1.2.3"), &EN), "3 numbers between dots: IPv4 has 4.");
    assert_eq!(error_text(&error(""), &EN), "Type an address, or choose an example.");
}

/// The texts that go with an enum have a line for each variant, in order,
/// in both languages.
#[test]
fn every_kind_and_problem_has_its_words() {
    use Problem::*;
    let problems = [
        Empty,
        Character,
        OctetCount,
        OctetTooLarge,
        LeadingZero,
        IntegerTooLarge,
        TwoDoubleColons,
        GroupTooLong,
        TooManyGroups,
        TooFewGroups,
        Unrecognised,
    ];
    let v4_kinds = [
        V4Kind::Unspecified,
        V4Kind::Loopback,
        V4Kind::Private,
        V4Kind::LinkLocal,
        V4Kind::Documentation,
        V4Kind::Multicast,
        V4Kind::Broadcast,
        V4Kind::Reserved,
        V4Kind::Public,
    ];
    let v6_kinds = [
        V6Kind::Unspecified,
        V6Kind::Loopback,
        V6Kind::Ipv4Mapped,
        V6Kind::Documentation,
        V6Kind::LinkLocal,
        V6Kind::UniqueLocal,
        V6Kind::Multicast,
        V6Kind::Global,
        V6Kind::Reserved,
    ];
    for texts in [&EN, &ZH] {
        for (lines, variants) in [
            (texts.address_errors, problems.map(|problem| problem as usize).to_vec()),
            (texts.v4_kinds, v4_kinds.map(|kind| kind as usize).to_vec()),
            (texts.v6_kinds, v6_kinds.map(|kind| kind as usize).to_vec()),
        ] {
            assert_eq!(lines.split('\n').count(), variants.len(), "{lines}");
            assert_eq!(variants, (0..variants.len()).collect::<Vec<_>>(), "every variant, in order");
            for index in variants {
                assert!(!line(lines, index).is_empty() && !line(lines, index).starts_with(' '));
            }
        }
    }
    // The words fit: loopback is "this machine", 0.0.0.0 "every interface".
    assert!(line(EN.v4_kinds, V4Kind::Loopback as usize).contains("this machine"));
    assert!(line(ZH.v4_kinds, V4Kind::Loopback as usize).contains("本机"));
    assert!(line(EN.v4_kinds, V4Kind::Unspecified as usize).contains("every interface"));
    assert!(line(EN.address_errors, TooManyGroups as usize).contains("groups"));
}

/// Every address std reads is read, and reads the same; nothing panics,
/// and every refusal has words.
#[test]
fn the_reader_agrees_with_std_and_never_panics() {
    let pieces = ["", "0", "1", "255", "256", "ffff", "fffff", ":", "::", ".", "0x", "%", "[", "a", "é"];
    let mut texts = Vec::new();
    for a in pieces {
        for b in pieces {
            for c in pieces {
                texts.push(format!("{a}{b}{c}"));
                texts.push(format!("{a}.{b}.{c}.{a}"));
                texts.push(format!("{a}:{b}::{c}"));
                texts.push(format!("{a}:{b}:{c}:{a}:{b}:{c}:{a}:{b}"));
            }
        }
    }
    for text in texts {
        match (text.trim().parse::<IpAddr>(), read(&text)) {
            (Ok(expected), read) => assert_eq!(read, Ok(expected), "{text:?}"),
            (Err(_), Ok(read)) => {
                // Only an integer is an address that std does not read.
                assert!(
                    text.bytes().all(|byte| byte.is_ascii_hexdigit() || byte == b'x'),
                    "{text:?}: {read}"
                );
            }
            (Err(_), Err(error)) => {
                for texts in [&EN, &ZH] {
                    let words = error_text(&error, texts);
                    assert!(!words.is_empty() && !words.contains('{'), "{text:?}: {words}");
                }
            }
        }
    }
}
