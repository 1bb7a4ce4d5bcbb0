//! Who may open the relay's WebSocket: checks on `Host` and `Origin`.
//!
//! A browser lets any web page open a WebSocket to any address, including
//! `127.0.0.1:8080`, so the relay must tell its own pages from everyone
//! else's. Two headers do it:
//!
//! - **`Origin`** names the page that asked, such as `http://127.0.0.1:8080`.
//!   It must be the relay's own origin (the scheme plus the `Host` the
//!   request was sent to) or a site allowed to embed the playground
//!   (`--embed-origin`). Programs that are not browsers (the tests,
//!   `websocat`) send no `Origin` and are let in: they are not a web page
//!   acting for a visitor who never asked.
//! - **`Host`** names the relay as the request addressed it. *DNS rebinding*
//!   is an attack in which `evil.example` first resolves to the attacker's
//!   server, serves a page, then resolves to `127.0.0.1`: the page's own
//!   origin now reaches the relay, and `Origin` matches `Host`. So `Host`
//!   must be a name the relay answers to: an IP address (which no DNS can
//!   rebind), `localhost`, or a name given with `--server-name`.

use axum::http::{HeaderMap, header};

use crate::config::WebAccess;

/// The names and origins the relay accepts; built once from the flags.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// `--server-name`, lowercased.
    names: Vec<String>,
    /// `--embed-origin`, as `scheme://host[:port]`, lowercased.
    embedders: Vec<String>,
}

/// A bad `--embed-origin` or `--server-name`.
#[derive(Debug, thiserror::Error)]
#[error("{flag} {value:?} {problem}")]
pub struct AccessError {
    flag: &'static str,
    value: String,
    problem: &'static str,
}

impl Access {
    pub fn new(flags: &WebAccess) -> Result<Access, AccessError> {
        let embedders =
            flags.embed_origin.iter().map(|origin| parse_origin(origin)).collect::<Result<_, _>>()?;
        let names = flags.server_name.iter().map(|name| parse_name(name)).collect::<Result<_, _>>()?;
        Ok(Access { names, embedders })
    }

    /// The sites that may frame the playground, for CSP `frame-ancestors`.
    pub fn embedders(&self) -> &[String] {
        &self.embedders
    }

    /// Lets in a WebSocket request whose `Host` names the relay and whose
    /// `Origin`, if any, is the relay's own page or an embedding site.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), String> {
        let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or_default();
        if !self.is_own_host(host) {
            return Err(format!(
                "this relay is not known by the name {host:?} (a guard against DNS rebinding); \
                 its operator can add the name with --server-name"
            ));
        }
        let Some(origin) = headers.get(header::ORIGIN) else {
            return Ok(());
        };
        let origin = origin.to_str().unwrap_or_default().to_ascii_lowercase();
        let host = host.to_ascii_lowercase();
        let own = ["http://", "https://"].iter().any(|scheme| origin == format!("{scheme}{host}"));
        if own || self.embedders.contains(&origin) {
            Ok(())
        } else {
            Err(format!(
                "the page at {origin:?} is neither this relay's own page nor a site allowed with --embed-origin"
            ))
        }
    }

    /// Whether `host` (a `Host` header: name or address, maybe with a port)
    /// names this relay.
    fn is_own_host(&self, host: &str) -> bool {
        let name = host_without_port(host).to_ascii_lowercase();
        let name = name.trim_end_matches('.');
        !name.is_empty()
            && (name.parse::<std::net::IpAddr>().is_ok()
                || name == "localhost"
                || self.names.iter().any(|own| own == name))
    }
}

/// `[::1]:8080` → `::1`, `example.org:8080` → `example.org`, `example.org` → itself.
fn host_without_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split_once(']').map_or("", |(address, _)| address);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// `https://course.example.edu` or `http://127.0.0.1:3000`: a scheme and a
/// host with an optional port, nothing after.
fn parse_origin(origin: &str) -> Result<String, AccessError> {
    let problem = |problem| AccessError { flag: "--embed-origin", value: origin.to_owned(), problem };
    let lower = origin.trim_end_matches('/').to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| problem("must start with http:// or https://"))?;
    let host = host_without_port(rest);
    let well_formed = !host.is_empty()
        && !rest.contains(['/', '?', '#', '@', '*', ' ', ';', ','])
        && rest.chars().all(|c| c.is_ascii_graphic());
    if well_formed { Ok(lower) } else { Err(problem("is not an origin such as https://course.example.edu")) }
}

fn parse_name(name: &str) -> Result<String, AccessError> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    let well_formed = !lower.is_empty()
        && lower.len() <= 253
        && lower
            .split('.')
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if well_formed {
        Ok(lower)
    } else {
        Err(AccessError { flag: "--server-name", value: name.to_owned(), problem: "is not a host name" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(names: &[&str], origins: &[&str]) -> Access {
        let flags = WebAccess {
            server_name: names.iter().map(|name| name.to_string()).collect(),
            embed_origin: origins.iter().map(|origin| origin.to_string()).collect(),
        };
        Access::new(&flags).unwrap()
    }

    fn headers(host: &str, origin: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, host.parse().unwrap());
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, origin.parse().unwrap());
        }
        headers
    }

    #[test]
    fn addresses_localhost_and_configured_names_are_the_relays_own() {
        let access = access(&["playground.example.org"], &[]);
        for host in [
            "127.0.0.1:8080",
            "[::1]:8080",
            "localhost:8080",
            "LOCALHOST",
            "localhost.:8080",
            "playground.example.org",
            "Playground.Example.Org:443",
            "203.0.113.7",
        ] {
            assert!(access.check(&headers(host, None)).is_ok(), "{host}");
        }
        for host in ["evil.example:8080", "127.0.0.1.nip.io:8080", "localhost.evil.example", "", "[::1"] {
            let error = access.check(&headers(host, None)).unwrap_err();
            assert!(error.contains("DNS rebinding"), "{host}: {error}");
        }
    }

    #[test]
    fn a_rebound_page_is_refused_although_its_origin_matches_its_host() {
        let access = access(&[], &[]);
        let rebound = headers("evil.example:8080", Some("http://evil.example:8080"));
        assert!(access.check(&rebound).is_err());
    }

    #[test]
    fn the_own_origin_and_embedding_sites_may_connect() {
        let access = access(&[], &["https://course.example.edu", "http://127.0.0.1:3000/"]);
        for origin in ["http://127.0.0.1:8080", "https://course.example.edu", "http://127.0.0.1:3000"] {
            assert!(access.check(&headers("127.0.0.1:8080", Some(origin))).is_ok(), "{origin}");
        }
        assert!(access.check(&headers("LocalHost:8080", Some("http://localhost:8080"))).is_ok());
        for origin in ["null", "http://127.0.0.1:3001", "https://course.example.edu.evil.example", "file://"]
        {
            let error = access.check(&headers("127.0.0.1:8080", Some(origin))).unwrap_err();
            assert!(error.contains("--embed-origin"), "{origin}: {error}");
        }
        assert_eq!(access.embedders(), ["https://course.example.edu", "http://127.0.0.1:3000"]);
    }

    #[test]
    fn malformed_flags_are_refused_with_their_value() {
        let bad_origin = WebAccess { embed_origin: vec!["course.example.edu".into()], server_name: vec![] };
        let error = Access::new(&bad_origin).unwrap_err().to_string();
        assert!(error.contains("--embed-origin \"course.example.edu\""), "{error}");
        let with_path =
            WebAccess { embed_origin: vec!["https://a.example/path".into()], server_name: vec![] };
        assert!(Access::new(&with_path).is_err());
        let bad_name = WebAccess { embed_origin: vec![], server_name: vec!["a b".into()] };
        assert!(Access::new(&bad_name).unwrap_err().to_string().contains("--server-name"));
    }
}
