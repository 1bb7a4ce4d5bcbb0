//! The egress policy: which destinations the relay connects to for a page.
//!
//! The relay opens real TCP connections for whoever loads its page. Without a
//! policy that makes it an *open proxy*: anyone could send traffic that looks
//! as if it came from the relay's machine, and, worse, reach what only that
//! machine can reach. Its own loopback services, the private network it sits
//! in, and, on a cloud server, the metadata service that hands out the
//! machine's credentials. Tricking a server into making such requests is
//! called *server-side request forgery* (SSRF). The policy stops it.
//!
//! # Two checks, around name resolution
//!
//! `connect((host, port))` happens in two steps (see `session::connect`), and
//! the policy checks before and after the first:
//!
//! 1. **Before resolving**: [`Host::parse`] normalises the host (`127.1`,
//!    `0x7f.1` and `[::ffff:127.0.0.1]` are all spellings of loopback) and
//!    [`Policy::check_port`] checks the port.
//! 2. **After resolving**: [`Policy::check`] judges each *address* the
//!    resolver returned, never the name. A name tells nothing: whoever owns
//!    `evil.example` can make it resolve to 127.0.0.1. They can even change
//!    the answer between two lookups, public the first time, loopback the
//!    second: that is *DNS rebinding*. So the relay checks the resolved
//!    address and then connects to exactly that address, without resolving
//!    again.
//!
//! # The rules
//!
//! An address is refused when it falls in a special-purpose block (see
//! [`ranges`] for what each one is), unless the operator allowed it:
//!
//! | rule                 | blocks                                         |
//! |----------------------|------------------------------------------------|
//! | `unspecified`        | 0.0.0.0/8                                      |
//! | `private`            | 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16      |
//! | `cgnat`              | 100.64.0.0/10                                  |
//! | `loopback`           | 127.0.0.0/8                                    |
//! | `link-local`         | 169.254.0.0/16 (cloud metadata)                |
//! | `ietf-protocol`      | 192.0.0.0/24                                   |
//! | `documentation`      | 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24  |
//! | `6to4-relay`         | 192.88.99.0/24                                 |
//! | `benchmarking`       | 198.18.0.0/15                                  |
//! | `multicast`          | 224.0.0.0/4                                    |
//! | `broadcast`          | 255.255.255.255/32                             |
//! | `reserved`           | 240.0.0.0/4                                    |
//! | `ipv6-unspecified`   | ::/128                                         |
//! | `ipv6-loopback`      | ::1/128                                        |
//! | `ipv6-unique-local`  | fc00::/7                                       |
//! | `ipv6-link-local`    | fe80::/10                                      |
//! | `ipv6-site-local`    | fec0::/10                                      |
//! | `ipv6-multicast`     | ff00::/8                                       |
//! | `ipv6-discard`       | 100::/64                                       |
//! | `ipv6-documentation` | 2001:db8::/32, 3fff::/20                       |
//! | `ipv6-benchmarking`  | 2001:2::/48                                    |
//! | `teredo`             | 2001::/32                                      |
//! | `nat64-local`        | 64:ff9b:1::/48                                 |
//! | `ipv4-mapped`        | ::ffff:0:0/96 carrying a refused IPv4          |
//! | `ipv4-compatible`    | ::/96 carrying a refused IPv4                  |
//! | `nat64`              | 64:ff9b::/96 carrying a refused IPv4           |
//! | `6to4`               | 2002::/16 carrying a refused IPv4              |
//! | `ports`              | a port not on the port list, or port 0         |
//! | `lesson-by-name`     | a lesson server reached by name in public mode |
//!
//! Every other address is public and allowed, on the ports of the port list
//! (see [`ports`]).
//!
//! - **`--allow NET`** lets pages reach a refused network all the same (say a
//!   lab's 192.168.1.0/24). For an IPv6 address that carries an IPv4 address,
//!   allowing the IPv4 address allows it too.
//! - **The lesson servers** (the relay's own Hello server, usually on
//!   127.0.0.1:9999) are loopback addresses, yet the lessons need them. In
//!   *local* mode, when the playground is served on a loopback address and so
//!   only to this machine, a page reaches a lesson server's exact address by
//!   any host, `localhost` included. In *public* mode (`--public`, or any
//!   `--listen` that is not loopback) a page reaches them only by the address
//!   itself as the host, `127.0.0.1`: no DNS answer is involved, so no
//!   rebinding can lead there.
//!
//! # Use
//!
//! ```text
//! let policy = Policy::from_settings(&config.egress, config.listen, &lesson_addresses)?;
//! let host = Host::parse(&dial.host)?;    // host::HostError: a malformed host
//! policy.check_port(dial.port)?;          // Refusal, before any DNS traffic
//! let ip = ...;                           // resolve host.to_string(), the normalised
//!                                         // host (a Host::Ip needs no lookup)
//! policy.check(&host, SocketAddr::new(ip, dial.port))?;    // Refusal
//! // then connect to that very address: a second lookup could answer differently
//! ```

mod file;
pub mod host;
mod ports;
mod ranges;

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use ipnet::IpNet;

use crate::config::Egress;
use file::PolicyFile;
pub use host::Host;
pub use ports::{Ports, PortsError};
use ranges::{Range, Special};

/// Who the relay serves, which decides how the lesson servers are reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Served on a loopback address: the pages are this machine's own.
    Local,
    /// Served to other machines: `--public`, or a `--listen` address that
    /// is not loopback.
    Public,
}

/// The egress policy, built once from the relay's settings.
#[derive(Debug, Clone)]
pub struct Policy {
    mode: Mode,
    /// Networks allowed despite the rules.
    allow: Vec<IpNet>,
    ports: Ports,
    /// The lesson servers' listening addresses.
    lessons: Vec<SocketAddr>,
}

/// Why the relay will not connect somewhere: a sentence for the learner, and
/// the rule that refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    rule: &'static str,
    reason: String,
}

/// Where a setting came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    Flag(&'static str),
    File { key: &'static str, path: PathBuf },
}

/// Why the policy could not be built from the settings.
#[derive(Debug, thiserror::Error)]
pub enum PolicyConfigError {
    #[error("cannot read the policy file {} (--policy): {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("the policy file {} (--policy) is not a valid policy: {source}", path.display())]
    Parse { path: PathBuf, source: toml::de::Error },
    #[error(
        "{setting}: {entry:?} is not a network or an address; write a network as 127.0.0.0/8 or fd00::/8, or one address as 192.168.1.20 or ::1"
    )]
    Allow { setting: Setting, entry: String },
    #[error("{setting}: {source}")]
    Ports { setting: Setting, source: PortsError },
}

impl Policy {
    /// Builds the policy from the flags and the `--policy` file, if any.
    ///
    /// `listen` is the playground's `--listen` address: one that is not
    /// loopback forces public mode. `lessons` are the lesson servers'
    /// listening addresses; their ports join the port list.
    pub fn from_settings(
        egress: &Egress,
        listen: SocketAddr,
        lessons: &[SocketAddr],
    ) -> Result<Policy, PolicyConfigError> {
        let file = match &egress.policy {
            Some(path) => PolicyFile::read(path)?,
            None => PolicyFile::default(),
        };
        let path = egress.policy.as_deref().unwrap_or(Path::new(""));
        let in_file = |key| Setting::File { key, path: path.to_owned() };

        let public =
            egress.public || file.public.unwrap_or(false) || !listen.ip().to_canonical().is_loopback();
        let mode = if public { Mode::Public } else { Mode::Local };

        let from_file = file.allow.iter().map(|entry| (entry, in_file("allow")));
        let from_flags = egress.allow.iter().map(|entry| (entry, Setting::Flag("--allow")));
        let allow = from_file
            .chain(from_flags)
            .map(|(entry, setting)| {
                net(entry).ok_or_else(|| PolicyConfigError::Allow { setting, entry: entry.clone() })
            })
            .collect::<Result<Vec<_>, _>>()?;

        let ports_in = |text: &str, setting| {
            Ports::parse(text).map_err(|source| PolicyConfigError::Ports { setting, source })
        };
        let file_ports = file.ports.as_deref().map(|text| ports_in(text, in_file("ports"))).transpose()?;
        let flag_ports =
            egress.ports.as_deref().map(|text| ports_in(text, Setting::Flag("--ports"))).transpose()?;
        let mut ports = flag_ports.or(file_ports).unwrap_or_default();
        for lesson in lessons {
            ports.add(lesson.port());
        }

        Ok(Policy { mode, allow, ports, lessons: lessons.to_vec() })
    }

    /// Local or public: how pages reach the lesson servers.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Before resolving: may pages connect to `port` at all?
    pub fn check_port(&self, port: u16) -> Result<(), Refusal> {
        if self.ports.allows(port) { Ok(()) } else { Err(Refusal::port(port, &self.ports)) }
    }

    /// After resolving: may a page that asked for `host` connect to `addr`,
    /// one of the addresses `host` resolved to (or `host` itself, when it is
    /// an address)?
    pub fn check(&self, host: &Host, addr: SocketAddr) -> Result<(), Refusal> {
        self.check_port(addr.port())?;
        let lesson = self.lessons.iter().any(|&server| serves(server, addr));
        let by_address = matches!(host, Host::Ip(ip) if ip.to_canonical() == addr.ip().to_canonical());
        if lesson && (self.mode == Mode::Local || by_address) {
            return Ok(());
        }
        match self.refused(addr.ip()) {
            None => Ok(()),
            Some(_) if lesson => Err(Refusal::lesson_by_name(host, addr)),
            Some(special) => Err(Refusal::address(host, addr.ip(), special)),
        }
    }

    /// The policy, one rule a line, for the start-up log.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = vec![format!("mode: {}", self.mode)];
        let reached = match self.mode {
            Mode::Local => "by any name",
            Mode::Public => "by its address only",
        };
        lines.extend(self.lessons.iter().map(|server| format!("lesson server: {server} ({reached})")));
        lines.extend(self.allow.iter().map(|net| format!("allowed: {net}")));
        lines.push(format!("refused unless allowed: {}", ranges::rule_names().join(", ")));
        lines.push(format!("ports: {}", self.ports));
        lines
    }

    /// Why `ip` is refused, if it is: it is special, and neither it nor
    /// the IPv4 address it carries is allowed.
    fn refused(&self, ip: IpAddr) -> Option<Special> {
        let allowed = |ip: IpAddr| self.allow.iter().any(|net| net.contains(&ip));
        if allowed(ip) {
            return None;
        }
        match ranges::special(ip)? {
            Special::Carries { inner, .. } if allowed(IpAddr::V4(inner)) => None,
            special => Some(special),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Local => "local",
            Mode::Public => "public",
        })
    }
}

impl Refusal {
    /// The rule that refused, a stable short name such as `loopback` (see
    /// the table at the top of this module).
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    fn port(port: u16, ports: &Ports) -> Refusal {
        let reason = match port {
            0 => "port 0 is not a port anything can connect to (rule \"ports\"): ports run from 1 to 65535."
                .to_owned(),
            _ => format!(
                "port {port} is not on this relay's port list ({ports}): rule \"ports\". Its operator can change the list with --ports."
            ),
        };
        Refusal { rule: "ports", reason }
    }

    fn address(host: &Host, ip: IpAddr, special: Special) -> Refusal {
        let subject = subject(host, ip);
        let (rule, reason) = match special {
            Special::In(range) => (
                range.rule,
                format!(
                    "{subject} {} ({}, rule \"{}\"): {}",
                    range.what,
                    range.net,
                    range.rule,
                    refused(ip, range)
                ),
            ),
            Special::Carries { form, inner, range } => (
                form.rule,
                format!(
                    "{subject} {} ({}, rule \"{}\") that leads to {inner}, which is {} ({}, rule \"{}\"): {}",
                    form.what,
                    form.net,
                    form.rule,
                    range.what,
                    range.net,
                    range.rule,
                    refused(IpAddr::V4(inner), range),
                ),
            ),
        };
        Refusal { rule, reason }
    }

    fn lesson_by_name(host: &Host, addr: SocketAddr) -> Refusal {
        let ip = addr.ip();
        let reason = format!(
            "{host} resolves to {ip}, and {addr} is a lesson server of this relay (rule \"lesson-by-name\"): in public mode pages reach the lesson servers only by their address, so that no DNS answer can lead the relay there. Connect to {ip} instead."
        );
        Refusal { rule: "lesson-by-name", reason }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Refusal {}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Setting::Flag(flag) => f.write_str(flag),
            Setting::File { key, path } => write!(f, "`{key}` in the policy file {}", path.display()),
        }
    }
}

/// "127.0.0.1 is", or "localhost resolves to 127.0.0.1, which is".
fn subject(host: &Host, ip: IpAddr) -> String {
    match host {
        Host::Name(name) => format!("{name} resolves to {ip}, which is"),
        Host::Ip(_) => format!("{ip} is"),
    }
}

/// The end of a refusal: what the relay will not do, and how its operator
/// could let it.
fn refused(ip: IpAddr, range: &Range) -> String {
    let mut text = format!("this relay does not connect there. Its operator can allow it with --allow {ip}");
    if range.net.prefix_len() < range.net.max_prefix_len() {
        text.push_str(&format!(", or its whole block with --allow {}", range.net));
    }
    text.push('.');
    text
}

/// An `--allow` entry: a network (`127.0.0.0/8`) or one address (`::1`,
/// `[::1]`).
fn net(entry: &str) -> Option<IpNet> {
    let entry = entry.trim();
    let bare = entry.strip_prefix('[').and_then(|inside| inside.strip_suffix(']')).unwrap_or(entry);
    match bare.parse::<IpNet>() {
        Ok(net) => Some(net.trunc()),
        Err(_) => bare.parse::<IpAddr>().ok().map(IpNet::from),
    }
}

/// Whether the lesson server listening on `server` is what `addr` reaches.
/// A server on the wildcard address (0.0.0.0 or ::) listens on every address
/// of the machine, so it serves loopback addresses at its port: 0.0.0.0 the
/// IPv4 ones, :: (dual-stack) IPv4 and IPv6 alike.
fn serves(server: SocketAddr, addr: SocketAddr) -> bool {
    if server.port() != addr.port() {
        return false;
    }
    let (listening, target) = (server.ip().to_canonical(), addr.ip().to_canonical());
    match listening {
        IpAddr::V4(ip) if ip == Ipv4Addr::UNSPECIFIED => target.is_ipv4() && target.is_loopback(),
        IpAddr::V6(ip) if ip.is_unspecified() => target.is_loopback(),
        _ => listening == target,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn addr(text: &str) -> SocketAddr {
        text.parse().expect("a test socket address")
    }

    fn egress() -> Egress {
        Egress { public: false, allow: Vec::new(), ports: None, policy: None }
    }

    /// The policy of a relay on 127.0.0.1:8080 with its Hello server on
    /// 127.0.0.1:9999.
    fn policy(egress: Egress) -> Policy {
        Policy::from_settings(&egress, addr("127.0.0.1:8080"), &[addr("127.0.0.1:9999")]).unwrap()
    }

    fn public() -> Policy {
        policy(Egress { public: true, ..egress() })
    }

    fn allowing(nets: &[&str]) -> Policy {
        policy(Egress { allow: nets.iter().map(|net| net.to_string()).collect(), ..egress() })
    }

    /// Connects to a host given as the page gives it. An address is itself;
    /// `localhost` resolves to 127.0.0.1, as on every machine.
    fn dial(policy: &Policy, text: &str, port: u16) -> Result<(), Refusal> {
        let host = Host::parse(text).unwrap();
        let ip = match &host {
            Host::Ip(ip) => *ip,
            Host::Name(name) if name == "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
            Host::Name(name) => panic!("the test resolver does not know {name}"),
        };
        policy.check(&host, SocketAddr::new(ip, port))
    }

    fn rule(result: Result<(), Refusal>) -> &'static str {
        match result {
            Ok(()) => "allowed",
            Err(refusal) => refusal.rule(),
        }
    }

    /// Host, the rule that refuses it, and for an IPv6 address carrying an
    /// IPv4 address the rule that refuses the IPv4 address.
    const REFUSED: &[(&str, &str, &str)] = &[
        ("2130706433", "loopback", ""),
        ("0x7f.1", "loopback", ""),
        ("0177.0.0.1", "loopback", ""),
        ("127.1", "loopback", ""),
        ("127.0.1", "loopback", ""),
        ("0x7f000001", "loopback", ""),
        ("[::ffff:127.0.0.1]", "ipv4-mapped", "loopback"),
        ("localhost.", "loopback", ""),
        ("LOCALHOST", "loopback", ""),
        ("169.254.169.254", "link-local", ""),
        ("10.0.0.1", "private", ""),
        ("172.16.0.1", "private", ""),
        ("172.31.255.255", "private", ""),
        ("192.168.0.1", "private", ""),
        ("100.64.0.1", "cgnat", ""),
        ("100.127.255.255", "cgnat", ""),
        ("0.0.0.0", "unspecified", ""),
        ("0", "unspecified", ""),
        ("255.255.255.255", "broadcast", ""),
        ("224.0.0.1", "multicast", ""),
        ("239.255.255.250", "multicast", ""),
        ("240.0.0.1", "reserved", ""),
        ("192.0.0.1", "ietf-protocol", ""),
        ("192.0.2.1", "documentation", ""),
        ("198.51.100.7", "documentation", ""),
        ("203.0.113.9", "documentation", ""),
        ("192.88.99.1", "6to4-relay", ""),
        ("198.18.0.1", "benchmarking", ""),
        ("198.19.255.255", "benchmarking", ""),
        ("::1", "ipv6-loopback", ""),
        ("[::1]", "ipv6-loopback", ""),
        ("::", "ipv6-unspecified", ""),
        ("fc00::1", "ipv6-unique-local", ""),
        ("fd12:3456::1", "ipv6-unique-local", ""),
        ("fe80::1", "ipv6-link-local", ""),
        ("fec0::1", "ipv6-site-local", ""),
        ("ff02::1", "ipv6-multicast", ""),
        ("100::1", "ipv6-discard", ""),
        ("2001:db8::1", "ipv6-documentation", ""),
        ("3fff::1", "ipv6-documentation", ""),
        ("2001:2::1", "ipv6-benchmarking", ""),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo", ""),
        ("64:ff9b:1::a00:1", "nat64-local", ""),
        ("::ffff:127.0.0.1", "ipv4-mapped", "loopback"),
        ("::ffff:10.0.0.1", "ipv4-mapped", "private"),
        ("::ffff:169.254.169.254", "ipv4-mapped", "link-local"),
        ("::ffff:0.0.0.0", "ipv4-mapped", "unspecified"),
        ("::127.0.0.1", "ipv4-compatible", "loopback"),
        ("::2", "ipv4-compatible", "unspecified"),
        ("64:ff9b::7f00:1", "nat64", "loopback"),
        ("64:ff9b::a9fe:a9fe", "nat64", "link-local"),
        ("2002:7f00:1::1", "6to4", "loopback"),
        ("2002:c0a8:101::1", "6to4", "private"),
        ("2002:a9fe:a9fe::1", "6to4", "link-local"),
    ];

    const ALLOWED: &[&str] = &[
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "[2001:4860:4860::8888]",
        "::ffff:8.8.8.8",
        "::8.8.8.8",
        "64:ff9b::808:808",
        "2002:0808:0808::1",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.169.0.1",
        "9.255.255.255",
        "11.0.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "223.255.255.255",
        "0x08080808",
        "134744072",
    ];

    #[test]
    fn special_addresses_are_refused_in_both_modes_by_their_rule() {
        for policy in [policy(egress()), public()] {
            for &(host, want, inner) in REFUSED {
                let refusal = dial(&policy, host, 80).expect_err(host);
                assert_eq!(refusal.rule(), want, "{host} ({:?}): {refusal}", policy.mode());
                let message = refusal.to_string();
                assert!(message.contains(&format!("rule \"{want}\"")), "{message}");
                if !inner.is_empty() {
                    assert!(message.contains(&format!("rule \"{inner}\"")), "{host}: {message}");
                }
            }
        }
    }

    #[test]
    fn public_addresses_are_allowed_in_both_modes() {
        for policy in [policy(egress()), public()] {
            for &host in ALLOWED {
                assert_eq!(dial(&policy, host, 443), Ok(()), "{host}");
            }
        }
    }

    #[test]
    fn refusals_are_sentences_that_name_the_rule() {
        let policy = policy(egress());
        let message = |host, port| dial(&policy, host, port).unwrap_err().to_string();
        assert_eq!(
            message("127.0.0.1", 80),
            "127.0.0.1 is a loopback address (127.0.0.0/8, rule \"loopback\"): this relay does not connect there. Its operator can allow it with --allow 127.0.0.1, or its whole block with --allow 127.0.0.0/8."
        );
        assert_eq!(
            message("localhost", 80),
            "localhost resolves to 127.0.0.1, which is a loopback address (127.0.0.0/8, rule \"loopback\"): this relay does not connect there. Its operator can allow it with --allow 127.0.0.1, or its whole block with --allow 127.0.0.0/8."
        );
        assert_eq!(
            message("[::ffff:169.254.169.254]", 80),
            "::ffff:169.254.169.254 is an IPv4-mapped IPv6 address (::ffff:0.0.0.0/96, rule \"ipv4-mapped\") that leads to 169.254.169.254, which is a link-local address (cloud metadata services answer there) (169.254.0.0/16, rule \"link-local\"): this relay does not connect there. Its operator can allow it with --allow 169.254.169.254, or its whole block with --allow 169.254.0.0/16."
        );
        assert_eq!(
            message("255.255.255.255", 80),
            "255.255.255.255 is the broadcast address (255.255.255.255/32, rule \"broadcast\"): this relay does not connect there. Its operator can allow it with --allow 255.255.255.255."
        );
        assert_eq!(
            message("8.8.8.8", 25),
            "port 25 is not on this relay's port list (80, 443, 8080, 9999): rule \"ports\". Its operator can change the list with --ports."
        );
        assert_eq!(
            message("8.8.8.8", 0),
            "port 0 is not a port anything can connect to (rule \"ports\"): ports run from 1 to 65535."
        );
    }

    #[test]
    fn allow_opens_a_network_and_the_ipv6_forms_that_carry_it() {
        let policy = allowing(&["127.0.0.0/8"]);
        for host in [
            "127.0.0.1",
            "127.255.255.254",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::1",
        ] {
            assert_eq!(dial(&policy, host, 80), Ok(()), "{host}");
        }
        assert_eq!(rule(dial(&policy, "10.0.0.1", 80)), "private");
        assert_eq!(rule(dial(&policy, "::ffff:10.0.0.1", 80)), "ipv4-mapped");
        assert_eq!(rule(dial(&policy, "::1", 80)), "ipv6-loopback");
        assert_eq!(rule(dial(&policy, "127.0.0.1", 25)), "ports", "allow does not lift the port list");
    }

    #[test]
    fn allow_takes_networks_and_single_addresses() {
        let policy = allowing(&["192.168.1.20", "[::1]", "fd00::/8", " 10.1.2.3/8 ", "::ffff:0:0/96"]);
        for host in ["192.168.1.20", "::1", "fd00::5", "10.200.0.1", "::ffff:172.16.0.1"] {
            assert_eq!(dial(&policy, host, 80), Ok(()), "{host}");
        }
        assert_eq!(rule(dial(&policy, "192.168.1.21", 80)), "private");
        assert_eq!(rule(dial(&policy, "fc00::1", 80)), "ipv6-unique-local");
        assert_eq!(
            rule(dial(&policy, "172.16.0.1", 80)),
            "private",
            "allowing the mapped form is not the IPv4"
        );
        assert_eq!(
            policy.describe()[2..7],
            [
                "allowed: 192.168.1.20/32",
                "allowed: ::1/128",
                "allowed: fd00::/8",
                "allowed: 10.0.0.0/8",
                "allowed: ::ffff:0.0.0.0/96"
            ]
        );
    }

    #[test]
    fn bad_allow_entries_are_named() {
        for entry in ["127.0.0.0/33", "localhost", "", "127.1", "10.0.0.0/8/8", "fe80::1%eth0", "[10.0.0.1"] {
            let settings = Egress { allow: vec![entry.to_owned()], ..egress() };
            let error = Policy::from_settings(&settings, addr("127.0.0.1:8080"), &[]).unwrap_err();
            assert!(
                matches!(&error, PolicyConfigError::Allow { setting: Setting::Flag("--allow"), entry: e } if e == entry),
                "{entry}: {error:?}"
            );
        }
        let settings = Egress { allow: vec!["example.com".into()], ..egress() };
        assert_eq!(
            Policy::from_settings(&settings, addr("127.0.0.1:8080"), &[]).unwrap_err().to_string(),
            "--allow: \"example.com\" is not a network or an address; write a network as 127.0.0.0/8 or fd00::/8, or one address as 192.168.1.20 or ::1"
        );
    }

    #[test]
    fn ports_default_to_the_web_and_the_lesson_servers() {
        let policy = policy(egress());
        for port in [80, 443, 8080, 9999] {
            assert_eq!(policy.check_port(port), Ok(()), "{port}");
        }
        for port in [0, 22, 25, 8000, 6379, 65535] {
            assert_eq!(rule(policy.check_port(port)), "ports", "{port}");
        }
        assert_eq!(rule(dial(&policy, "8.8.8.8", 25)), "ports");
    }

    #[test]
    fn ports_replace_the_default_and_keep_the_lesson_servers() {
        let policy = policy(Egress { ports: Some("8000-8100".into()), ..egress() });
        assert_eq!(rule(policy.check_port(80)), "ports");
        assert_eq!(policy.check_port(8050), Ok(()));
        assert_eq!(policy.check_port(9999), Ok(()));
        assert_eq!(policy.describe().last().unwrap(), "ports: 8000-8100, 9999");

        let any = policy_with_ports("any");
        assert_eq!(any.check_port(25), Ok(()));
        assert_eq!(any.check_port(65535), Ok(()));
        assert_eq!(rule(any.check_port(0)), "ports");
        assert_eq!(rule(dial(&any, "127.0.0.1", 25)), "loopback", "any port is not any address");

        let settings = Egress { ports: Some("80,x".into()), ..egress() };
        let error = Policy::from_settings(&settings, addr("127.0.0.1:8080"), &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--ports: \"x\" is not a port: a port is a whole number from 1 to 65535 (or write a range, 8000-8100)"
        );
    }

    fn policy_with_ports(ports: &str) -> Policy {
        policy(Egress { ports: Some(ports.into()), ..egress() })
    }

    #[test]
    fn local_mode_reaches_a_lesson_server_by_any_name() {
        let policy = policy(egress());
        assert_eq!(policy.mode(), Mode::Local);
        assert_eq!(dial(&policy, "localhost", 9999), Ok(()));
        assert_eq!(dial(&policy, "127.0.0.1", 9999), Ok(()));
        assert_eq!(dial(&policy, "2130706433", 9999), Ok(()));
        assert_eq!(dial(&policy, "[::ffff:127.0.0.1]", 9999), Ok(()));
        // Only the server's exact address: something else may listen on the others.
        assert_eq!(rule(dial(&policy, "127.0.0.2", 9999)), "loopback");
        assert_eq!(rule(dial(&policy, "::1", 9999)), "ipv6-loopback");
        assert_eq!(rule(dial(&policy, "127.0.0.1", 8080)), "loopback");
        assert_eq!(rule(dial(&policy, "localhost", 8080)), "loopback");
    }

    #[test]
    fn public_mode_reaches_a_lesson_server_by_its_address_only() {
        let policy = public();
        assert_eq!(policy.mode(), Mode::Public);
        assert_eq!(dial(&policy, "127.0.0.1", 9999), Ok(()));
        let refusal = dial(&policy, "localhost", 9999).unwrap_err();
        assert_eq!(refusal.rule(), "lesson-by-name");
        assert_eq!(
            refusal.to_string(),
            "localhost resolves to 127.0.0.1, and 127.0.0.1:9999 is a lesson server of this relay (rule \"lesson-by-name\"): in public mode pages reach the lesson servers only by their address, so that no DNS answer can lead the relay there. Connect to 127.0.0.1 instead."
        );
        assert_eq!(rule(dial(&policy, "127.0.0.2", 9999)), "loopback");
        assert_eq!(rule(dial(&policy, "127.0.0.1", 8080)), "loopback");
        assert_eq!(rule(dial(&policy, "localhost", 8080)), "loopback");
        // A rebinding name that resolves to the server is a name all the same.
        let rebound = Host::Name("rebind.example".into());
        assert_eq!(rule(policy.check(&rebound, addr("127.0.0.1:9999"))), "lesson-by-name");
    }

    #[test]
    fn an_allowed_network_needs_no_lesson_rule() {
        let policy = policy(Egress { public: true, allow: vec!["127.0.0.0/8".into()], ..egress() });
        assert_eq!(dial(&policy, "localhost", 9999), Ok(()));
    }

    #[test]
    fn a_lesson_server_on_every_address_serves_loopback() {
        let on = |server: &str, mode_public: bool| {
            let settings = Egress { public: mode_public, ..egress() };
            Policy::from_settings(&settings, addr("127.0.0.1:8080"), &[addr(server)]).unwrap()
        };
        let ipv4 = on("0.0.0.0:9999", false);
        assert_eq!(dial(&ipv4, "127.0.0.5", 9999), Ok(()));
        assert_eq!(dial(&ipv4, "localhost", 9999), Ok(()));
        assert_eq!(rule(dial(&ipv4, "::1", 9999)), "ipv6-loopback");
        assert_eq!(rule(dial(&ipv4, "0.0.0.0", 9999)), "unspecified");
        assert_eq!(rule(dial(&ipv4, "10.0.0.1", 9999)), "private");

        let dual = on("[::]:9999", false);
        assert_eq!(dial(&dual, "::1", 9999), Ok(()));
        assert_eq!(dial(&dual, "127.0.0.1", 9999), Ok(()));

        let public = on("0.0.0.0:9999", true);
        assert_eq!(dial(&public, "127.0.0.1", 9999), Ok(()));
        assert_eq!(rule(dial(&public, "localhost", 9999)), "lesson-by-name");
    }

    #[test]
    fn a_lesson_server_on_a_private_address_in_public_mode() {
        let settings = Egress { public: true, ..egress() };
        let policy =
            Policy::from_settings(&settings, addr("0.0.0.0:8080"), &[addr("192.168.1.10:9999")]).unwrap();
        assert_eq!(dial(&policy, "192.168.1.10", 9999), Ok(()));
        let named = Host::Name("hello.lan".into());
        assert_eq!(rule(policy.check(&named, addr("192.168.1.10:9999"))), "lesson-by-name");
        assert_eq!(rule(dial(&policy, "192.168.1.11", 9999)), "private");
    }

    #[test]
    fn a_listen_address_that_is_not_loopback_forces_public_mode() {
        let mode = |listen: &str| Policy::from_settings(&egress(), addr(listen), &[]).unwrap().mode();
        for listen in ["127.0.0.1:8080", "127.0.0.2:80", "[::1]:8080", "[::ffff:127.0.0.1]:8080"] {
            assert_eq!(mode(listen), Mode::Local, "{listen}");
        }
        for listen in ["0.0.0.0:8080", "[::]:8080", "192.168.1.5:8080", "203.0.113.7:443"] {
            assert_eq!(mode(listen), Mode::Public, "{listen}");
        }
    }

    #[test]
    fn describe_lists_every_rule() {
        let lines = policy(Egress { allow: vec!["127.0.0.0/8".into()], ..egress() }).describe();
        assert_eq!(lines.len(), 5, "{lines:#?}");
        assert_eq!(lines[0], "mode: local");
        assert_eq!(lines[1], "lesson server: 127.0.0.1:9999 (by any name)");
        assert_eq!(lines[2], "allowed: 127.0.0.0/8");
        assert!(
            lines[3]
                .starts_with("refused unless allowed: unspecified, private, cgnat, loopback, link-local,")
        );
        assert!(lines[3].ends_with("ipv4-mapped, ipv4-compatible, nat64, 6to4"), "{}", lines[3]);
        assert_eq!(lines[4], "ports: 80, 443, 8080, 9999");
        assert_eq!(
            public().describe()[..2],
            ["mode: public", "lesson server: 127.0.0.1:9999 (by its address only)"]
        );
    }

    fn policy_file(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        file
    }

    fn from_file(file: &tempfile::NamedTempFile, flags: Egress) -> Result<Policy, PolicyConfigError> {
        let settings = Egress { policy: Some(file.path().to_owned()), ..flags };
        Policy::from_settings(&settings, addr("127.0.0.1:8080"), &[addr("127.0.0.1:9999")])
    }

    #[test]
    fn the_file_and_the_flags_are_merged() {
        let file = policy_file("allow = [\"10.0.0.0/8\", \"::1\"]\nports = \"80,8000-8100\"\n");
        let policy = from_file(&file, Egress { allow: vec!["192.168.1.20".into()], ..egress() }).unwrap();
        assert_eq!(policy.mode(), Mode::Local);
        let lines = policy.describe();
        assert_eq!(lines[2..5], ["allowed: 10.0.0.0/8", "allowed: ::1/128", "allowed: 192.168.1.20/32"]);
        assert_eq!(lines.last().unwrap(), "ports: 80, 8000-8100, 9999");
        assert_eq!(dial(&policy, "10.1.1.1", 8000), Ok(()));
        assert_eq!(dial(&policy, "192.168.1.20", 80), Ok(()));
        assert_eq!(rule(dial(&policy, "8.8.8.8", 443)), "ports");

        // --ports overrides the file's ports; --public its `public`.
        let policy =
            from_file(&file, Egress { public: true, ports: Some("443".into()), ..egress() }).unwrap();
        assert_eq!(policy.mode(), Mode::Public);
        assert_eq!(policy.describe().last().unwrap(), "ports: 443, 9999");

        let file = policy_file("public = true\n");
        let policy = from_file(&file, egress()).unwrap();
        assert_eq!(policy.mode(), Mode::Public);
        assert_eq!(policy.describe().last().unwrap(), "ports: 80, 443, 8080, 9999");
        assert_eq!(from_file(&policy_file("public = false"), egress()).unwrap().mode(), Mode::Local);
        assert_eq!(
            from_file(&policy_file(""), egress()).unwrap().describe(),
            self::policy(egress()).describe()
        );
    }

    #[test]
    fn file_errors_name_the_file_and_the_entry() {
        let file = policy_file("public = false\ncolour = \"blue\"\n");
        let error = from_file(&file, egress()).unwrap_err();
        assert!(matches!(error, PolicyConfigError::Parse { .. }), "{error:?}");
        let message = error.to_string();
        let path = file.path().display().to_string();
        assert!(
            message.starts_with(&format!("the policy file {path} (--policy) is not a valid policy:")),
            "{message}"
        );
        assert!(message.contains("unknown field `colour`"), "{message}");

        let file = policy_file("allow = [\"127.0.0.0/8\", \"bogus\"]");
        assert_eq!(
            from_file(&file, egress()).unwrap_err().to_string(),
            format!(
                "`allow` in the policy file {path}: \"bogus\" is not a network or an address; write a network as 127.0.0.0/8 or fd00::/8, or one address as 192.168.1.20 or ::1",
                path = file.path().display()
            )
        );

        // A bad file is an error even when a flag overrides the bad setting.
        let file = policy_file("ports = \"80-\"");
        let flags = Egress { ports: Some("80".into()), ..egress() };
        assert_eq!(
            from_file(&file, flags).unwrap_err().to_string(),
            format!(
                "`ports` in the policy file {}: \"80-\" is not a port: a port is a whole number from 1 to 65535 (or write a range, 8000-8100)",
                file.path().display()
            )
        );

        let directory = tempfile::tempdir().unwrap();
        let missing = directory.path().join("missing.toml");
        let settings = Egress { policy: Some(missing.clone()), ..egress() };
        let error = Policy::from_settings(&settings, addr("127.0.0.1:8080"), &[]).unwrap_err();
        assert!(matches!(&error, PolicyConfigError::Read { path, .. } if *path == missing), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("cannot read the policy file {} (--policy): ", missing.display())),
            "{error}"
        );
    }
}
