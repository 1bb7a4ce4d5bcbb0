//! The servers of a benchmark: the target, the relay, and the bridges
//! compared with it, each a [`Process`] on loopback.
//!
//! ```text
//! bridges serve ── bulk server, idle server          (the target, one for all)
//! relay ────────── the relay, and its Hello server   (the echo target)
//! websocat ─────── ws-l:PORT → tcp:TARGET            (one per target)
//! websockify ───── PORT → TARGET                     (one per target)
//! ```
//!
//! Each plain bridge listens for WebSockets and opens a new TCP connection
//! to its one target for each, so the bench starts one of each per target:
//! one to the bulk server, one to the Hello server. [`Servers`] is the set.
//!
//! [`Programs::cpu`] puts every program on one CPU (with `taskset`), for
//! round trips that measure the work each route does rather than how long
//! the machine takes to wake a CPU.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use super::process::{self, Process};
use super::results::Way;
use crate::Result;

/// How long a server may take to start.
const STARTING: Duration = Duration::from_secs(20);

/// The built programs and installed bridges, and where logs go.
#[derive(Clone)]
pub struct Programs {
    /// Where `relay`, `bridges` and `page` were built.
    pub bin: PathBuf,
    pub websockify: PathBuf,
    /// Where the servers' own output goes (`target/bench/`).
    pub logs: PathBuf,
    /// The one CPU every program runs on, if any.
    pub cpu: Option<u32>,
}

impl Programs {
    /// A command to run `program`, on [`Programs::cpu`] if there is one.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        match self.cpu {
            Some(cpu) => {
                let mut command = Command::new("taskset");
                command.args(["-c", &cpu.to_string()]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    /// A command to run one of the programs built here.
    pub fn built(&self, program: &str) -> Command {
        self.command(self.bin.join(program))
    }

    fn log(&self, name: &str) -> PathBuf {
        self.logs.join(format!("{name}.log"))
    }
}

/// `bridges serve`: the bulk and idle servers.
pub struct Target {
    _process: Process,
    pub bulk: SocketAddr,
    pub idle: SocketAddr,
}

impl Target {
    pub fn start(programs: &Programs, bulk_bytes: u64) -> Result<Target> {
        let mut command = programs.built("bridges");
        command.args(["serve", "--bulk-bytes", &bulk_bytes.to_string()]);
        let mut process = Process::start("bridges serve", command, Some(&programs.log("target")))?;
        let bulk = parse_addr(&process.line_after("bulk ", STARTING)?)?;
        let idle = parse_addr(&process.line_after("idle ", STARTING)?)?;
        Ok(Target { _process: process, bulk, idle })
    }
}

/// A relay process, its limits out of the way of a benchmark.
pub struct Relay {
    process: Process,
    /// Where its playground and WebSocket are.
    pub http: SocketAddr,
    /// Its Hello server.
    pub hello: SocketAddr,
}

impl Relay {
    /// Starts a relay on ephemeral ports, with the Hello server answering
    /// at once, loopback allowed on any port (the targets listen there),
    /// and its per-session limits (requests per second, bytes) and session
    /// counts far above what the benchmark asks, so that none of them
    /// binds: what is measured is the relay's data path, not its brakes.
    pub fn start(programs: &Programs, name: &str, max_sessions: usize) -> Result<Relay> {
        let max_sessions = max_sessions.to_string();
        let mut command = programs.built("relay");
        #[rustfmt::skip]
        command.args([
            "--listen", "127.0.0.1:0", "--hello", "127.0.0.1:0", "--hello-delay", "0",
            "--hello-single", "127.0.0.1:0",
            "--allow", "127.0.0.1", "--ports", "any",
            "--max-ops-per-second", "1000000000", "--max-session-bytes", "1000000000000000",
            "--max-sessions", &max_sessions, "--max-sessions-per-client", &max_sessions,
            "--log-level", "warn",
        ]);
        let mut process = Process::start(name, command, Some(&programs.log(name)))?;
        let http = process.line_after("Socket Playground: http://", STARTING)?;
        let http = parse_addr(http.trim_end_matches('/'))?;
        let hello = parse_addr(&process.line_after("Hello server: ", STARTING)?)?;
        Ok(Relay { process, http, hello })
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.http)
    }

    pub fn pid(&self) -> u32 {
        self.process.pid()
    }
}

/// A plain WebSocket-to-TCP bridge to one target.
pub struct Bridge {
    _process: Process,
    pub url: String,
}

impl Bridge {
    /// `websocat --binary ws-l:LISTEN tcp:TARGET`: binary messages, and a
    /// new TCP connection to the target for each WebSocket.
    pub fn websocat(programs: &Programs, target: SocketAddr, name: &str) -> Result<Bridge> {
        let listen = process::free_port()?;
        let mut command = programs.command("websocat");
        command.args(["--binary", &format!("ws-l:{listen}"), &format!("tcp:{target}")]);
        Bridge::start(programs, name, command, listen)
    }

    /// `websockify LISTEN TARGET`: binary messages, and a new TCP
    /// connection (in a forked process) for each WebSocket.
    pub fn websockify(programs: &Programs, target: SocketAddr, name: &str) -> Result<Bridge> {
        let listen = process::free_port()?;
        let mut command = programs.command(&programs.websockify);
        command.args([listen.to_string(), target.to_string()]);
        Bridge::start(programs, name, command, listen)
    }

    fn start(programs: &Programs, name: &str, command: Command, listen: SocketAddr) -> Result<Bridge> {
        let process = Process::start(name, command, Some(&programs.log(name)))?;
        process::wait_for_port(name, listen, STARTING)?;
        Ok(Bridge { _process: process, url: format!("ws://{listen}/") })
    }
}

/// Everything the bridges' measurements need: the target, a relay (whose
/// Hello server is the echo server), and a websocat and a websockify to
/// each of the two servers. `tag` ends the names of their logs.
pub struct Servers {
    pub target: Target,
    pub relay: Relay,
    /// To the bulk server, and to the Hello server.
    websocat: [Bridge; 2],
    websockify: [Bridge; 2],
}

impl Servers {
    pub fn start(programs: &Programs, bulk_bytes: u64, tag: &str) -> Result<Servers> {
        let target = Target::start(programs, bulk_bytes)?;
        let relay = Relay::start(programs, &format!("relay{tag}"), 64)?;
        let (bulk, hello) = (target.bulk, relay.hello);
        let websocat = [
            Bridge::websocat(programs, bulk, &format!("websocat-bulk{tag}"))?,
            Bridge::websocat(programs, hello, &format!("websocat-hello{tag}"))?,
        ];
        let websockify = [
            Bridge::websockify(programs, bulk, &format!("websockify-bulk{tag}"))?,
            Bridge::websockify(programs, hello, &format!("websockify-hello{tag}"))?,
        ];
        Ok(Servers { target, relay, websocat, websockify })
    }

    /// The arguments of `bridges` for the route `way` to the bulk server,
    /// or to the Hello server.
    pub fn route(&self, way: Way, to_hello: bool) -> Vec<String> {
        let (server, bridge) = if to_hello { (self.relay.hello, 1) } else { (self.target.bulk, 0) };
        match way {
            Way::Direct => vec!["--direct".into(), server.to_string()],
            Way::Relay => vec!["--relay".into(), self.relay.ws_url(), "--target".into(), server.to_string()],
            Way::Websocat => vec!["--tunnel".into(), self.websocat[bridge].url.clone()],
            Way::Websockify => vec!["--tunnel".into(), self.websockify[bridge].url.clone()],
        }
    }
}

fn parse_addr(text: &str) -> Result<SocketAddr> {
    text.trim().parse().map_err(|error| format!("{text:?} is not an address: {error}"))
}
