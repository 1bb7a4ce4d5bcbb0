//! The report: Markdown tables that read as well in a terminal as on a
//! forge, printed and written to `docs/benchmarks.md`.
//!
//! Ratios are always the relay's figure over the other's: for a rate,
//! above 1 means the relay is faster; for a latency, below 1 means it is.

use std::fmt::Write as _;

use super::results::{Bulk, Idle, Measured, Results, Spread, Verdict, Way, kb, thousands};

/// The whole report, from the title down.
pub fn markdown(results: &Results, command: &str) -> String {
    [
        header(results, command),
        targets(results),
        bridges(results),
        idle(&results.idle),
        front(results),
        method(command),
    ]
    .concat()
}

/// The title; when, where and on what the figures were measured.
fn header(results: &Results, command: &str) -> String {
    let mut out = String::new();
    let machine = &results.machine;
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Measured by `{command}` on {}, on {} ({} cores, {:.1} GiB), {}; {}; code at {}.\n",
        machine.date,
        machine.cpu,
        machine.cores,
        machine.memory_gib,
        machine.system,
        machine.rustc,
        machine.commit
    );
    let versions: Vec<String> =
        results.versions.iter().map(|(name, version)| format!("{name} {version}")).collect();
    let _ = writeln!(out, "Compared: {}.\n", versions.join(", "));
    let load = |load: Option<f64>| load.map_or("?".into(), |load| format!("{load:.2}"));
    let _ = writeln!(
        out,
        "Load average (1 minute) when the run began: {}; when it ended: {}. Work of others on the \
         machine slows every route, and adds noise.\n",
        load(results.load[0]),
        load(results.load[1])
    );
    let _ = writeln!(out, "![Bulk rate and round-trip latency by route](benchmarks.svg)\n");
    out
}

/// Each target, what was measured against it, and the verdict.
fn targets(results: &Results) -> String {
    let mut table = Table::new(["target", "measured", "verdict"]);
    for target in results.targets() {
        let verdict = match target.verdict {
            Verdict::Met => "met".to_owned(),
            Verdict::NotMet => "**not met**".to_owned(),
            Verdict::Unknown(why) => format!("not measured: {why}"),
        };
        table.row([target.goal.to_owned(), target.measured, verdict]);
    }
    format!("## Targets\n\n{}", table.render())
}

/// Bulk and round trips by route, and what could not be measured.
fn bridges(results: &Results) -> String {
    let settings = &results.settings;
    let mut out = String::from("\n## Bridges\n\n");
    let _ = writeln!(
        out,
        "The same client and the same loopback TCP servers for every route. Bulk: {} MiB from a \
         server that sends and closes, every byte checked, in MB/s (10⁶ bytes a second). Round trip: \
         {} exchanges of one byte and the Hello server's 8-byte answer, after {} untimed, in µs. The \
         routes take turns, round after round ({} rounds of bulk, {} of round trips), so that whatever \
         else the machine does falls on all of them alike; each cell is the median of the rounds, with \
         their range in brackets. Ratios are of the medians.\n\n\
         On a virtual machine, waking a process on another CPU costs tens of microseconds, more than \
         a route's own work, so round trips are also measured with every program (client, bridge, \
         relay and its Hello server) on one CPU (`taskset`): what remains is the work each route \
         does per exchange. The targets are judged on the first measurement.\n",
        settings.bulk_bytes >> 20,
        thousands(settings.exchanges as usize),
        thousands(settings.warmup as usize),
        settings.bulk_rounds,
        settings.rtt_rounds,
    );
    let mut header = vec!["".to_owned()];
    header.extend(Way::ALL.iter().map(|way| way.label().to_owned()));
    header.extend(["relay/websocat".to_owned(), "relay/direct".to_owned()]);
    let mut table = Table::new(header);
    table.row(figure_row("bulk, MB/s", &results.bulk.0, |bulk| bulk.rate, 0));
    table.row(figure_row("round trip p50, µs", &results.rtt.0, |rtt| rtt.p50, 1));
    table.row(figure_row("round trip p99, µs", &results.rtt.0, |rtt| rtt.p99, 1));
    table.row(figure_row("round trip p50, one CPU, µs", &results.rtt_one_core.0, |rtt| rtt.p50, 1));
    table.row(figure_row("round trip p99, one CPU, µs", &results.rtt_one_core.0, |rtt| rtt.p99, 1));
    let pieces = |bulk: &Bulk| Spread { median: bulk.piece_kib, min: bulk.piece_kib, max: bulk.piece_kib };
    let mut row = figure_row("bulk, KiB per read or message", &results.bulk.0, pieces, 1);
    row.truncate(row.len() - 2); // a ratio of sizes says nothing
    table.row(row);
    out += &table.render();
    let failures: Vec<String> = results
        .bulk
        .0
        .iter()
        .filter_map(|(way, figure)| Some(format!("bulk {}: {}", way.label(), figure.as_ref().err()?)))
        .chain(results.rtt.0.iter().chain(&results.rtt_one_core.0).filter_map(|(way, figure)| {
            Some(format!("round trip {}: {}", way.label(), figure.as_ref().err()?))
        }))
        .collect();
    for failure in failures {
        let _ = writeln!(out, "\n- not measured: {failure}");
    }
    out
}

/// The relay's memory with idle sessions.
fn idle(runs: &[Measured<Idle>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n## Idle sessions\n");
    let _ = writeln!(
        out,
        "A fresh relay for each count; each session opens the WebSocket, makes a socket and connects \
         it to a server that holds the connection. The relay's `VmRSS` once all are open.\n"
    );
    out += &idle_table(runs);
    out
}

/// The front end's weight and how soon it can be used.
fn front(results: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n## Front end\n");
    let mut table = Table::new(["", "measured"]);
    match &results.sizes {
        Ok(sizes) => {
            table.row(["wasm, gzipped".into(), format!("{:.1} KB", kb(sizes.wasm))]);
            table.row(["JavaScript, gzipped".into(), format!("{:.1} KB", kb(sizes.js))]);
            table.row(["together".into(), format!("{:.1} KB", kb(sizes.total()))]);
        }
        Err(why) => table.row(["gzipped size".into(), format!("not measured: {why}")]),
    }
    match &results.interactive {
        Ok(page) => table.row([
            format!("navigation to interactive, median of {}", page.runs),
            format!("{:.0} ms ({:.0}–{:.0})", page.median, page.min, page.max),
        ]),
        Err(why) => table.row(["navigation to interactive".into(), format!("not measured: {why}")]),
    }
    out += &table.render();
    out
}

/// A row of one figure for each way (the median of its rounds, and their
/// range when they differ), then the medians' ratios relay/websocat and
/// relay/direct.
fn figure_row<T>(
    name: &str,
    figures: &[(Way, Measured<T>)],
    spread: impl Fn(&T) -> Spread,
    decimals: usize,
) -> Vec<String> {
    let of = |way: Way| {
        figures
            .iter()
            .find(|(each, _)| *each == way)
            .and_then(|(_, figure)| figure.as_ref().ok())
            .map(&spread)
    };
    let mut row = vec![name.to_owned()];
    row.extend(Way::ALL.iter().map(|way| match of(*way) {
        None => "—".into(),
        Some(Spread { median, min, max }) if min == max => format!("{median:.decimals$}"),
        Some(Spread { median, min, max }) => {
            format!("{median:.decimals$} ({min:.decimals$}–{max:.decimals$})")
        }
    }));
    for other in [Way::Websocat, Way::Direct] {
        let ratio = of(Way::Relay).zip(of(other)).filter(|(_, other)| other.median > 0.0);
        row.push(ratio.map_or("—".into(), |(relay, other)| format!("{:.2}", relay.median / other.median)));
    }
    row
}

fn idle_table(runs: &[Measured<Idle>]) -> String {
    let mut table = Table::new(["sessions", "relay RSS", "per session", "relay's open files"]);
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    if let Some(Ok(first)) = runs.first() {
        table.row(["0 (just started)".into(), mib(first.baseline_kib), "".into(), "".into()]);
    }
    let mut notes = String::new();
    for run in runs {
        match run {
            Ok(idle) => {
                let mark = if idle.capped.is_some() { " *" } else { "" };
                table.row([
                    format!("{}{mark}", thousands(idle.sessions)),
                    mib(idle.rss_kib),
                    format!("{:.1} KiB", idle.per_session_kib()),
                    thousands(idle.open_files),
                ]);
                if let Some(why) = &idle.capped {
                    let _ = writeln!(
                        notes,
                        "\\* {} sessions were asked for, and could not be opened: {why}. At the rate measured, \
                         {} would take ~{:.0} MiB: an estimate, not a measurement.",
                        thousands(idle.requested),
                        thousands(idle.requested),
                        idle.rss_at_requested_kib() / 1024.0
                    );
                }
            }
            Err(why) => table.row(["—".into(), format!("not measured: {why}"), "".into(), "".into()]),
        }
    }
    match notes.is_empty() {
        true => table.render(),
        false => format!("{}\n{notes}", table.render()),
    }
}

/// How the figures were made, and how to make them again.
fn method(command: &str) -> String {
    format!(
        "
## How it was measured

`{command}` installs what it compares (websocat from crates.io, websockify from PyPI
into `target/tools/`), builds the relay and the `bench` programs in release mode, and
starts on loopback: `bridges serve` (the bulk and idle servers), a relay (its Hello
server, answering at once, is the echo server), and for each of those two servers a
`websocat --binary ws-l:… tcp:…` and a `websockify … …`. Then `bench/src/bin/bridges.rs`
measures every route the same way:

- **direct TCP**: a tokio `TcpStream`, reads of up to 256 KiB;
- **websocat, websockify**: a WebSocket each; bytes travel in binary messages, read up
  to 256 KiB at a time (16 KiB in round trips), as the relay's client reads;
- **relay**: its protocol: `socket`, `connect`, then `recv_all` with `max` 1 MiB, the
  largest the relay allows by default (one `chunk` per read, until `drained`), for bulk,
  or `send` and `recv` sent together for a round trip.

Every WebSocket client is the same (`bench/src/websocket.rs`): it reads frames into one
buffer that it never zeroes and checks each payload where it landed, as the direct client
checks its reads. Each bridge cuts the stream into messages its own way: websocat's are
up to 64 KiB (its default `--buffer-size`), the relay's up to the `max` asked.

The relay runs with its request-rate, byte and session limits raised above what the
benchmark asks (`--max-ops-per-second`, `--max-session-bytes`, `--max-sessions`,
`--max-sessions-per-client`) and loopback allowed (`--allow 127.0.0.1 --ports any`).
Idle sessions are opened 100 at a time by `bridges idle`; the front end is timed by
`bench/src/bin/page.rs` in headless Chromium through ChromeDriver, a new browser
profile for each run, from the start of navigation to the moment the HTTP lesson's
first step (`#http-step-0`) can be clicked with the relay's welcome received,
noted inside the page by a `MutationObserver` installed before the page's own scripts.

Everything runs on the one machine: client, bridge and servers share its cores, as
they would on a small server. Figures vary from run to run: on a 2-core virtual
machine, the bulk medians of the same programs have differed by a fifth between runs.
Logs of the servers are in `target/bench/`.
"
    )
}

/// A Markdown table, its columns padded to line up in a terminal too.
struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table { rows: vec![header.into_iter().map(Into::into).collect()] }
    }

    fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        self.rows.push(cells.into_iter().collect());
    }

    fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let width = |column: usize| {
            self.rows
                .iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..columns).map(width).map(|width| width.max(3)).collect();
        let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        let pad = |row: &Vec<String>| {
            widths
                .iter()
                .enumerate()
                .map(|(i, width)| format!("{:<width$}", row.get(i).map_or("", |cell| cell)))
                .collect()
        };
        let mut out = line(pad(&self.rows[0]));
        out += &line(widths.iter().map(|width| "-".repeat(*width)).collect());
        for row in &self.rows[1..] {
            out += &line(pad(row));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_line_up() {
        let mut table = Table::new(["", "µs"]);
        table.row(["relay".into(), "41.5".into()]);
        assert_eq!(table.render(), "|       | µs   |\n| ----- | ---- |\n| relay | 41.5 |\n");
    }
}
