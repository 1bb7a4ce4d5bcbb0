//! Scale: the relay's memory with many idle sessions, each holding one
//! open socket (see the `bench` crate's `bridges::idle` for the client).
//!
//! Each count gets a fresh relay, so that its memory is that of those
//! sessions alone: `VmRSS` from `/proc/<pid>/status` just after it
//! started, and again once every session is open (and a second later, so
//! that the last ones have settled). The relay's count of open files is
//! read at the same time: two per session, its WebSocket and its socket,
//! prove the sessions were really there.
//!
//! Those two files a session are also its limit. A process may open only
//! as many files as its `RLIMIT_NOFILE` allows, and only a process with
//! `CAP_SYS_RESOURCE` may raise the hard limit above what it was given.
//! [`OpenFiles::raise`] raises it for this process, whose children (every
//! program of the bench) inherit it, as far as it may; when that is not
//! far enough for a count, the run says why, tries the count all the same
//! to show what happens, and then measures with as many sessions as fit.

use std::thread;
use std::time::Duration;

use rlimit::Resource;

use super::process::Process;
use super::results::{Idle, Measured, thousands};
use super::servers::{Programs, Relay, Target};
use super::{GRACE, LIMIT};
use crate::procfs;

/// Open files a relay needs besides two per session: its listeners, the
/// runtime's, standard input and output.
const RELAY_OWN_FILES: u64 = 64;
/// How long the relay is left to settle before its memory is read.
const SETTLE: Duration = Duration::from_secs(1);

/// The relay's memory with `requested` idle sessions, each holding one
/// socket. When the open-file limit leaves the relay too few for them, the
/// run says so, tries all the same (to show what happens), then measures
/// with as many sessions as fit.
pub fn idle(programs: &Programs, requested: usize, open_files: &OpenFiles) -> Measured<Idle> {
    let fits = (open_files.limit.saturating_sub(RELAY_OWN_FILES) / 2) as usize;
    if requested <= fits {
        return idle_run(programs, requested);
    }
    let why = open_files.why_capped(requested);
    println!("Cannot give the relay room for {} sessions: {why}. Trying all the same:", thousands(requested));
    let tried = match idle_run(programs, requested) {
        Ok(idle) => return Ok(idle),
        Err(failed) => failed,
    };
    let idle = idle_run(programs, fits)?;
    Ok(Idle { requested, capped: Some(format!("{why}. Tried all the same: {tried}")), ..idle })
}

/// One fresh relay with `sessions` idle sessions, so that the figure is
/// that of those sessions alone.
fn idle_run(programs: &Programs, sessions: usize) -> Measured<Idle> {
    let target = Target::start(programs, 0)?;
    let relay = Relay::start(programs, &format!("relay-idle-{sessions}"), sessions + 64)?;
    thread::sleep(SETTLE);
    let baseline_kib = procfs::status_kib(relay.pid(), "VmRSS").ok_or("cannot read the relay's VmRSS")?;
    let mut command = programs.built("bridges");
    #[rustfmt::skip]
    command.args([
        "idle", "--relay", &relay.ws_url(), "--target", &target.idle.to_string(),
        "--sessions", &sessions.to_string(), "--time-limit", &LIMIT.as_secs().to_string(),
    ]);
    println!("$ bridges idle --sessions {sessions}");
    let log = programs.logs.join(format!("idle-{sessions}.log"));
    let mut client = Process::start("bridges idle", command, Some(&log))?;
    let line = client.line_after("idle ", LIMIT + GRACE).map_err(|error| {
        // Why the sessions failed is the last thing the client said.
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        said.lines().last().map_or(error, |last| last.trim_start_matches("bridges: ").to_owned())
    })?;
    println!("  idle {line}");
    thread::sleep(SETTLE);
    let rss_kib = procfs::status_kib(relay.pid(), "VmRSS").ok_or("cannot read the relay's VmRSS")?;
    let open_files = procfs::open_files(relay.pid()).unwrap_or(0);
    client.close_stdin();
    client.finish(GRACE)?;
    Ok(Idle { requested: sessions, sessions, capped: None, baseline_kib, rss_kib, open_files })
}

/// The open-file limit the bench's programs get: every program started
/// from here inherits this process's limit.
pub struct OpenFiles {
    limit: u64,
    /// Why it could not be raised as far as wanted.
    refused: Option<String>,
}

impl OpenFiles {
    /// Raises the limit to what a relay with `sessions` sessions needs, if
    /// allowed, else as far as the hard limit.
    pub fn raise(sessions: usize) -> OpenFiles {
        let wanted = 2 * sessions as u64 + RELAY_OWN_FILES;
        let hard = || Resource::NOFILE.get_hard().unwrap_or(0);
        let refused = (hard() < wanted)
            .then(|| Resource::NOFILE.set(wanted, wanted).err())
            .flatten()
            .map(|error| {
                let wanted = thousands(wanted as usize);
                format!("raising it to {wanted} was refused ({error}): a hard limit rises only with CAP_SYS_RESOURCE")
            });
        let _ = Resource::NOFILE.set(hard(), hard());
        OpenFiles { limit: Resource::NOFILE.get_soft().unwrap_or(0), refused }
    }

    /// Why `requested` sessions cannot all be opened.
    fn why_capped(&self, requested: usize) -> String {
        let needed = 2 * requested as u64 + RELAY_OWN_FILES;
        let refused = self.refused.as_deref().unwrap_or("it cannot be raised");
        format!(
            "the relay needs two open files per session (its WebSocket and its socket), about {} for {}, \
             but this machine's limit on open files is {}, and {refused}",
            thousands(needed as usize),
            thousands(requested),
            thousands(self.limit as usize)
        )
    }
}
