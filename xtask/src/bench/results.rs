//! What a run measured, and the targets it is held to.
//!
//! Every figure is [`Measured`]: a measurement that could not be made says
//! why, in the report, rather than stopping the run or leaving a blank. The
//! targets are judged here and nowhere else, so the printed table, the
//! Markdown report and the exit status cannot disagree.

use super::front::Sizes;
use super::machine::Machine;

/// A figure, or why it could not be measured.
pub type Measured<T> = std::result::Result<T, String>;

/// The ways from the client to the target, in the order the report shows
/// them; [`Servers::route`](super::servers::Servers::route) turns each into
/// the arguments of `bridges`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Direct,
    Relay,
    Websocat,
    Websockify,
}

impl Way {
    pub const ALL: [Way; 4] = [Way::Direct, Way::Relay, Way::Websocat, Way::Websockify];

    pub fn label(self) -> &'static str {
        match self {
            Way::Direct => "direct TCP",
            Way::Relay => "relay",
            Way::Websocat => "websocat",
            Way::Websockify => "websockify",
        }
    }
}

/// A figure for each way, in [`Way::ALL`]'s order.
pub struct PerWay<T>(pub Vec<(Way, Measured<T>)>);

impl<T> PerWay<T> {
    pub fn get(&self, way: Way) -> Option<&T> {
        self.0.iter().find(|(each, _)| *each == way).and_then(|(_, figure)| figure.as_ref().ok())
    }

    /// Each route's figure made into another.
    pub fn map<U>(self, make: impl Fn(T) -> U) -> PerWay<U> {
        PerWay(self.0.into_iter().map(|(way, figure)| (way, figure.map(&make))).collect())
    }
}

/// A figure measured in several rounds: their median, and the range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `values`; None when there are none.
    pub fn of(mut values: Vec<f64>) -> Option<Spread> {
        values.sort_by(f64::total_cmp);
        Some(Spread { median: *values.get(values.len() / 2)?, min: values[0], max: *values.last()? })
    }
}

/// A bulk stream's rate, in MB/s (10⁶ bytes a second), and the average
/// size of the pieces it came in (reads, messages or `chunk`s), in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Bulk {
    pub rate: Spread,
    pub piece_kib: f64,
}

/// Round-trip latency, in µs: each round's p50 and p99.
#[derive(Debug, Clone, Copy)]
pub struct Rtt {
    pub p50: Spread,
    pub p99: Spread,
}

/// The relay's memory with idle sessions.
#[derive(Debug, Clone)]
pub struct Idle {
    pub requested: usize,
    /// How many sessions were open when the memory was read: fewer than
    /// requested when the machine cannot give the relay enough open files.
    pub sessions: usize,
    /// Why fewer, if fewer.
    pub capped: Option<String>,
    /// `VmRSS` of the relay just started, and with every session open, in KiB.
    pub baseline_kib: u64,
    pub rss_kib: u64,
    /// The relay's open files with every session open: two per session
    /// (its WebSocket, its socket) prove the sessions were really there.
    pub open_files: usize,
}

impl Idle {
    /// What each session added, in KiB.
    pub fn per_session_kib(&self) -> f64 {
        self.rss_kib.saturating_sub(self.baseline_kib) as f64 / self.sessions.max(1) as f64
    }

    /// `VmRSS` with the requested count, in KiB: measured, or when capped,
    /// estimated from the per-session cost of the sessions that were open.
    pub fn rss_at_requested_kib(&self) -> f64 {
        self.baseline_kib as f64 + self.per_session_kib() * self.requested as f64
    }
}

/// Time to interactive, in ms.
#[derive(Debug, Clone, Copy)]
pub struct Interactive {
    pub runs: u32,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// How the run was set up.
pub struct Settings {
    pub bulk_bytes: u64,
    pub bulk_rounds: u32,
    pub exchanges: u32,
    pub warmup: u32,
    pub rtt_rounds: u32,
}

/// Everything one run found.
pub struct Results {
    pub machine: Machine,
    /// The load average (one minute) when the run began and when it ended.
    pub load: [Option<f64>; 2],
    /// Each program compared, and its version.
    pub versions: Vec<(&'static str, String)>,
    pub settings: Settings,
    pub bulk: PerWay<Bulk>,
    pub rtt: PerWay<Rtt>,
    /// Round trips with every program on one CPU.
    pub rtt_one_core: PerWay<Rtt>,
    pub idle: Vec<Measured<Idle>>,
    pub sizes: Measured<Sizes>,
    pub interactive: Measured<Interactive>,
}

/// Whether a target was met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    /// It could not be judged, and why.
    Unknown(String),
}

/// One target, what was measured against it, and the verdict.
pub struct Target {
    pub goal: &'static str,
    pub measured: String,
    pub verdict: Verdict,
}

/// 1 GiB, the bound on the relay's memory with 10,000 idle sessions.
const GIB_KIB: f64 = 1024.0 * 1024.0;

impl Results {
    /// The targets, judged.
    pub fn targets(&self) -> Vec<Target> {
        let bulk = |way| self.bulk.get(way).map(|bulk| bulk.rate.median);
        let rtt = |way| self.rtt.get(way).copied();
        let mut targets = vec![
            ratio_target("bulk ≥ 1.5 × websocat", bulk(Way::Relay), bulk(Way::Websocat), |r| r >= 1.5),
            ratio_target("bulk ≥ 60% of direct TCP", bulk(Way::Relay), bulk(Way::Direct), |r| r >= 0.6),
            ratio_target(
                "round trip p50 below websocat's",
                rtt(Way::Relay).map(|rtt| rtt.p50.median),
                rtt(Way::Websocat).map(|rtt| rtt.p50.median),
                |r| r < 1.0,
            ),
            ratio_target(
                "round trip p99 below websocat's",
                rtt(Way::Relay).map(|rtt| rtt.p99.median),
                rtt(Way::Websocat).map(|rtt| rtt.p99.median),
                |r| r < 1.0,
            ),
        ];
        targets.push(self.idle_target());
        targets.push(match &self.sizes {
            Ok(sizes) => Target {
                goal: "front end ≤ 150 KB gzipped",
                measured: format!("{:.1} KB", kb(sizes.total())),
                verdict: verdict(kb(sizes.total()) <= 150.0),
            },
            Err(why) => unknown("front end ≤ 150 KB gzipped", why),
        });
        targets.push(match &self.interactive {
            Ok(page) => Target {
                goal: "interactive ≤ 300 ms",
                measured: format!("{:.0} ms (median of {})", page.median, page.runs),
                verdict: verdict(page.median <= 300.0),
            },
            Err(why) => unknown("interactive ≤ 300 ms", why),
        });
        targets
    }

    fn idle_target(&self) -> Target {
        const GOAL: &str = "10,000 idle sessions < 1 GiB";
        let run = self.idle.iter().find(|run| run.as_ref().is_ok_and(|idle| idle.requested == 10_000));
        match run {
            Some(Ok(idle)) if idle.capped.is_none() => Target {
                goal: GOAL,
                measured: format!("{:.0} MiB", idle.rss_kib as f64 / 1024.0),
                verdict: verdict((idle.rss_kib as f64) < GIB_KIB),
            },
            Some(Ok(idle)) => {
                let estimate = idle.rss_at_requested_kib();
                let would = if estimate < GIB_KIB { "met" } else { "**not met**" };
                Target {
                    goal: GOAL,
                    measured: format!(
                        "{} sessions: {:.0} MiB; 10,000 at that rate: ~{:.0} MiB",
                        thousands(idle.sessions),
                        idle.rss_kib as f64 / 1024.0,
                        estimate / 1024.0
                    ),
                    verdict: Verdict::Unknown(format!(
                        "10,000 cannot be opened here (open files, see below); by the estimate, {would}"
                    )),
                }
            }
            Some(Err(why)) => unknown(GOAL, why),
            None => unknown(GOAL, "not run (see --sessions)"),
        }
    }
}

/// A target on `relay / other`.
fn ratio_target(goal: &'static str, relay: Option<f64>, other: Option<f64>, met: fn(f64) -> bool) -> Target {
    match (relay, other) {
        (Some(relay), Some(other)) if other > 0.0 => {
            let ratio = relay / other;
            Target { goal, measured: format!("{ratio:.2} ×"), verdict: verdict(met(ratio)) }
        }
        _ => unknown(goal, "a figure it needs is missing"),
    }
}

fn verdict(met: bool) -> Verdict {
    if met { Verdict::Met } else { Verdict::NotMet }
}

fn unknown(goal: &'static str, why: &str) -> Target {
    Target { goal, measured: "—".into(), verdict: Verdict::Unknown(why.into()) }
}

/// Bytes in KB (1,000 bytes).
pub fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1000.0
}

/// `12345` as `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(9968), "9,968");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn ratios_judge_the_relay_against_the_other() {
        let target = ratio_target("bulk", Some(300.0), Some(100.0), |r| r >= 1.5);
        assert_eq!((target.measured.as_str(), target.verdict), ("3.00 ×", Verdict::Met));
        let target = ratio_target("rtt", Some(50.0), Some(40.0), |r| r < 1.0);
        assert_eq!(target.verdict, Verdict::NotMet);
        assert!(matches!(ratio_target("x", None, Some(1.0), |_| true).verdict, Verdict::Unknown(_)));
    }

    #[test]
    fn spreads_take_the_median() {
        let spread = Spread::of(vec![3.0, 1.0, 2.0]).expect("values");
        assert_eq!(spread, Spread { median: 2.0, min: 1.0, max: 3.0 });
        assert_eq!(Spread::of(Vec::new()), None);
    }

    #[test]
    fn a_capped_run_estimates_the_requested_count() {
        let idle = Idle {
            requested: 10_000,
            sessions: 5_000,
            capped: Some("open files".into()),
            baseline_kib: 10_000,
            rss_kib: 510_000,
            open_files: 10_010,
        };
        assert_eq!(idle.per_session_kib(), 100.0);
        assert_eq!(idle.rss_at_requested_kib(), 1_010_000.0);
    }
}
