//! The programs a benchmark starts, kept on a leash.
//!
//! A benchmark runs a dozen processes: the target, relays, bridges, the
//! measuring client. Whatever goes wrong, none may outlive the run or hang
//! it, so:
//!
//! * a [`Process`] is killed when it is dropped, on every path out,
//!   including an early `?` and a panic's unwinding;
//! * every wait has a limit: for a line of output ([`Process::line`], read
//!   by a thread of its own so that the wait can give up), for a port to
//!   accept connections ([`wait_for_port`]), for a program to finish
//!   ([`Process::finish`]).
//!
//! The measuring programs print their figures as one line of `key=value`
//! words, which [`Figures`] reads.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;

/// A running program, killed when dropped.
pub struct Process {
    name: String,
    child: Child,
    /// Its standard output, line by line, when it was piped.
    lines: Option<Receiver<String>>,
    /// Its standard input, when it was piped: dropping it tells the
    /// program to end (`bridges serve` and `bridges idle` wait for that).
    stdin: Option<ChildStdin>,
}

impl Process {
    /// Starts `command`, its standard output piped for [`Process::line`]
    /// and its standard error to `log` (or the terminal).
    pub fn start(name: &str, mut command: Command, log: Option<&Path>) -> Result<Process> {
        command.stdin(Stdio::piped()).stdout(Stdio::piped());
        if let Some(log) = log {
            let file = std::fs::File::create(log).map_err(|error| format!("{}: {error}", log.display()))?;
            command.stderr(file);
        }
        let mut child = command.spawn().map_err(|error| format!("cannot run {name}: {error}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stdin = child.stdin.take();
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Process { name: name.into(), child, lines: Some(lines), stdin })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line the program prints, within `limit`.
    pub fn line(&mut self, limit: Duration) -> Result<String> {
        let received = self.lines.as_ref().expect("stdout is piped").recv_timeout(limit);
        match received {
            Ok(line) => Ok(line),
            Err(RecvTimeoutError::Timeout) => {
                Err(format!("{} printed nothing for {} s", self.name, limit.as_secs()))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let ended = self.ended();
                Err(format!("{} ended ({ended})", self.name))
            }
        }
    }

    /// The next line, which must start with `prefix`; returns the rest.
    pub fn line_after(&mut self, prefix: &str, limit: Duration) -> Result<String> {
        let line = self.line(limit)?;
        match line.strip_prefix(prefix) {
            Some(rest) => Ok(rest.to_owned()),
            None => Err(format!("{} printed {line:?}, expected a line starting {prefix:?}", self.name)),
        }
    }

    /// Closes the program's standard input: the sign to end, for those that wait for it.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits, within `limit`, for the program to end, and fails unless it
    /// succeeded; returns the last line it printed (its figures), if any.
    pub fn finish(mut self, limit: Duration) -> Result<Option<String>> {
        let started = Instant::now();
        let mut last = None;
        let lines = self.lines.take().expect("stdout is piped");
        loop {
            match lines.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => last = Some(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) if started.elapsed() > limit => {
                    return Err(format!(
                        "{} was still running after {} s; killed it",
                        self.name,
                        limit.as_secs()
                    ));
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
        let status = self.child.wait().map_err(|error| format!("cannot wait for {}: {error}", self.name))?;
        match status.success() {
            true => Ok(last),
            false => Err(format!("{} failed ({status}); its errors are above", self.name)),
        }
    }

    /// [`Process::finish`], for a program that must print its figures last.
    pub fn figures(self, limit: Duration) -> Result<Figures> {
        let name = self.name.clone();
        let line = self.finish(limit)?.ok_or_else(|| format!("{name} printed no figures"))?;
        println!("  {line}");
        Ok(Figures::parse(&line))
    }

    /// How the program ended, as far as can be told now.
    fn ended(&mut self) -> String {
        match self.child.try_wait() {
            Ok(Some(status)) => status.to_string(),
            _ => "closed its output".into(),
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until something accepts TCP connections at `addr`.
pub fn wait_for_port(name: &str, addr: SocketAddr, limit: Duration) -> Result {
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if started.elapsed() > limit {
            return Err(format!("{name} did not listen on {addr} within {} s", limit.as_secs()));
        }
        thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// A free loopback port, for a program that must be told where to listen.
/// (Free now: another program could take it before ours binds, which on a
/// quiet machine does not happen.)
pub fn free_port() -> Result<SocketAddr> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|error| format!("no free port: {error}"))
}

/// The figures of a measurement: `bulk bytes=268435456 MBps=1234.5 ...`.
pub struct Figures {
    words: HashMap<String, String>,
    line: String,
}

impl Figures {
    pub fn parse(line: &str) -> Figures {
        let words = line
            .split_whitespace()
            .filter_map(|word| word.split_once('='))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect();
        Figures { words, line: line.into() }
    }

    /// The number called `key`.
    pub fn number(&self, key: &str) -> Result<f64> {
        self.words
            .get(key)
            .and_then(|value| value.parse().ok())
            .ok_or_else(|| format!("no number {key} in {:?}", self.line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_key_value_words() {
        let figures = Figures::parse("rtt exchanges=10000 p50_us=41.5 p99_us=88.0");
        assert_eq!(figures.number("p50_us"), Ok(41.5));
        assert_eq!(figures.number("exchanges"), Ok(10000.0));
        assert!(figures.number("p90_us").is_err());
    }
}
