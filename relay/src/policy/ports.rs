//! Which ports pages may connect to.
//!
//! An address picks a machine; a port picks the program on it. Port numbers
//! are 16 bits, 1 to 65535 (port 0 means "any port" when binding, and is never
//! a destination). Some numbers are conventions: 80 is HTTP, 443 HTTPS, 25
//! SMTP (mail), 22 SSH, 6379 Redis.
//!
//! A relay that reaches every port of a public address is still a tool for
//! abuse: port 25 sends spam from the relay's address, and many services on
//! other ports speak protocols simple enough that a page's bytes can pass for
//! commands. So the relay keeps a list, by default the web's ports (80, 443
//! and 8080) and its own lesson servers' ports. The operator can replace it
//! (`--ports 80,443,8000-8100`), or lift it (`--ports any`).

use std::fmt;
use std::ops::RangeInclusive;

/// The ports pages may connect to when the operator names none.
const DEFAULT: [u16; 3] = [80, 443, 8080];

/// A set of ports: sorted, non-overlapping spans that never include 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ports {
    spans: Vec<RangeInclusive<u16>>,
}

/// Why a port list could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortsError {
    #[error("the port list is empty: give ports such as 80,443,8000-8100, or `any`")]
    Empty,
    #[error("the port list has an empty item (two commas in a row, or one at either end)")]
    EmptyItem,
    #[error("{item:?} is not a port: a port is a whole number from 1 to 65535 (or write a range, 8000-8100)")]
    NotAPort { item: String },
    #[error("{item:?}: port 0 is not a port anything can connect to (ports run from 1 to 65535)")]
    Zero { item: String },
    #[error("{item:?} runs backwards: write the lower port first")]
    Backwards { item: String },
}

impl Ports {
    /// Reads a comma-separated list of ports and ranges (`80,443,8000-8100`),
    /// or `any`.
    pub fn parse(text: &str) -> Result<Ports, PortsError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PortsError::Empty);
        }
        if text.eq_ignore_ascii_case("any") {
            return Ok(Ports { spans: vec![1..=u16::MAX] });
        }
        let spans = text.split(',').map(|item| span(item.trim())).collect::<Result<_, _>>()?;
        Ok(Ports::from_spans(spans))
    }

    /// Adds one port (a lesson server's). Port 0 is never added.
    pub fn add(&mut self, port: u16) {
        if port != 0 {
            let mut spans = std::mem::take(&mut self.spans);
            spans.push(port..=port);
            *self = Ports::from_spans(spans);
        }
    }

    /// Whether pages may connect to `port`.
    pub fn allows(&self, port: u16) -> bool {
        self.spans.iter().any(|span| span.contains(&port))
    }

    /// Sorts `spans` and joins those that overlap or touch.
    fn from_spans(mut spans: Vec<RangeInclusive<u16>>) -> Ports {
        spans.sort_by_key(|span| *span.start());
        let mut joined: Vec<RangeInclusive<u16>> = Vec::with_capacity(spans.len());
        for span in spans {
            match joined.last_mut() {
                Some(last) if *span.start() <= last.end().saturating_add(1) => {
                    if span.end() > last.end() {
                        *last = *last.start()..=*span.end();
                    }
                }
                _ => joined.push(span),
            }
        }
        Ports { spans: joined }
    }
}

impl Default for Ports {
    /// The web's ports: 80, 443 and 8080.
    fn default() -> Ports {
        Ports::from_spans(DEFAULT.iter().map(|&port| port..=port).collect())
    }
}

impl fmt::Display for Ports {
    /// `any`, or the spans: `80, 443, 8000-8100`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.spans == [1..=u16::MAX] {
            return f.write_str("any");
        }
        for (i, span) in self.spans.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if span.start() == span.end() {
                write!(f, "{}", span.start())?;
            } else {
                write!(f, "{}-{}", span.start(), span.end())?;
            }
        }
        Ok(())
    }
}

/// One item of a list: `443` or `8000-8100`.
fn span(item: &str) -> Result<RangeInclusive<u16>, PortsError> {
    if item.is_empty() {
        return Err(PortsError::EmptyItem);
    }
    let (start, end) = match item.split_once('-') {
        Some((start, end)) => (port(item, start.trim())?, port(item, end.trim())?),
        None => (port(item, item)?, port(item, item)?),
    };
    if start > end {
        return Err(PortsError::Backwards { item: item.to_owned() });
    }
    Ok(start..=end)
}

/// One port number of `item`.
fn port(item: &str, digits: &str) -> Result<u16, PortsError> {
    let not_a_port = || PortsError::NotAPort { item: item.to_owned() };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_a_port());
    }
    match digits.parse::<u16>() {
        Ok(0) => Err(PortsError::Zero { item: item.to_owned() }),
        Ok(port) => Ok(port),
        Err(_) => Err(not_a_port()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    #[test]
    fn the_default_is_the_web() {
        let ports = Ports::default();
        assert_eq!(ports.to_string(), "80, 443, 8080");
        for port in [80, 443, 8080] {
            assert!(ports.allows(port), "{port}");
        }
        for port in [0, 1, 22, 25, 79, 81, 442, 444, 3306, 6379, 8079, 8081, 65535] {
            assert!(!ports.allows(port), "{port}");
        }
    }

    #[test]
    fn lists_and_ranges() {
        let ports = Ports::parse(" 443, 80 ,8000-8100,8050-8200, 8201,22 - 23").unwrap();
        assert_eq!(ports.to_string(), "22-23, 80, 443, 8000-8201");
        for port in [22, 23, 80, 443, 8000, 8100, 8150, 8201] {
            assert!(ports.allows(port), "{port}");
        }
        for port in [0, 21, 24, 81, 7999, 8202] {
            assert!(!ports.allows(port), "{port}");
        }
        assert_eq!(Ports::parse("65535").unwrap().to_string(), "65535");
        assert_eq!(Ports::parse("80,80,80").unwrap().to_string(), "80");
    }

    #[test]
    fn any_is_every_port_but_zero() {
        for text in ["any", "ANY", " Any "] {
            let ports = Ports::parse(text).unwrap();
            assert_eq!(ports.to_string(), "any");
            assert!(ports.allows(1) && ports.allows(25) && ports.allows(65535));
            assert!(!ports.allows(0));
        }
        assert_eq!(Ports::parse("1-65535").unwrap().to_string(), "any");
    }

    #[test]
    fn lesson_ports_are_added() {
        let mut ports = Ports::default();
        ports.add(9999);
        ports.add(81);
        ports.add(0);
        assert_eq!(ports.to_string(), "80-81, 443, 8080, 9999");
        assert!(ports.allows(9999) && !ports.allows(0));
        let mut any = Ports::parse("any").unwrap();
        any.add(9999);
        assert_eq!(any.to_string(), "any");
    }

    #[test]
    fn errors_name_the_bad_item() {
        let not_a_port = |item: &str| Err(PortsError::NotAPort { item: item.to_owned() });
        assert_eq!(Ports::parse(""), Err(PortsError::Empty));
        assert_eq!(Ports::parse("  "), Err(PortsError::Empty));
        assert_eq!(Ports::parse("80,,443"), Err(PortsError::EmptyItem));
        assert_eq!(Ports::parse("80,"), Err(PortsError::EmptyItem));
        assert_eq!(Ports::parse("80,44x"), not_a_port("44x"));
        assert_eq!(Ports::parse("65536"), not_a_port("65536"));
        assert_eq!(Ports::parse("+80"), not_a_port("+80"));
        assert_eq!(Ports::parse("-80"), not_a_port("-80"));
        assert_eq!(Ports::parse("80-"), not_a_port("80-"));
        assert_eq!(Ports::parse("1-2-3"), not_a_port("1-2-3"));
        assert_eq!(Ports::parse("80,any"), not_a_port("any"));
        assert_eq!(Ports::parse("0"), Err(PortsError::Zero { item: "0".into() }));
        assert_eq!(Ports::parse("0-100"), Err(PortsError::Zero { item: "0-100".into() }));
        assert_eq!(Ports::parse("100-80"), Err(PortsError::Backwards { item: "100-80".into() }));
        assert_eq!(
            Ports::parse("80,44x").unwrap_err().to_string(),
            "\"44x\" is not a port: a port is a whole number from 1 to 65535 (or write a range, 8000-8100)"
        );
    }

    proptest! {
        #[test]
        fn a_list_allows_exactly_its_ports(list in proptest::collection::vec(1..=u16::MAX, 1..20), probe in any::<u16>()) {
            let text = list.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
            let ports = Ports::parse(&text).unwrap();
            prop_assert_eq!(ports.allows(probe), list.contains(&probe));
            prop_assert_eq!(Ports::parse(&ports.to_string()), Ok(ports));
        }

        #[test]
        fn never_panics(text in "[0-9, a-y-]{0,40}") {
            let _ = Ports::parse(&text);
        }
    }
}
