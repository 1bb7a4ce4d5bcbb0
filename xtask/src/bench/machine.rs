//! What the figures were measured on: a rate means little without the
//! machine, and the code, that made it.

use std::path::Path;

use crate::cmd;

/// The machine, the toolchain and the code of a run.
pub struct Machine {
    /// When the run ended, as `date -u` says it.
    pub date: String,
    /// The CPU's model name, from `/proc/cpuinfo`.
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    /// The kernel release and the distribution.
    pub system: String,
    pub rustc: String,
    /// The commit measured, `-dirty` when the tree had changes.
    pub commit: String,
}

impl Machine {
    pub fn describe(root: &Path) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo.lines().find_map(|line| field(line, "model name")).unwrap_or("an unknown CPU");
        let cores = cpuinfo.lines().filter(|line| field(line, "processor").is_some()).count();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: f64 = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:")?.trim().strip_suffix("kB")?.trim().parse().ok())
            .unwrap_or(0.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        let os = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        let distribution = os
            .lines()
            .find_map(|line| line.strip_prefix("PRETTY_NAME="))
            .map_or("", |name| name.trim_matches('"'));
        let trimmed = |text: Option<String>| text.map_or_else(|| "?".into(), |text| text.trim().to_owned());
        let root = root.display().to_string();
        Machine {
            date: trimmed(cmd::output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])),
            cpu: cpu.to_owned(),
            cores: cores.max(1),
            memory_gib: memory_kib / (1024.0 * 1024.0),
            system: format!("Linux {}, {distribution}", kernel.trim()),
            rustc: trimmed(cmd::output("rustc", &["--version"])),
            commit: trimmed(cmd::output("git", &["-C", &root, "describe", "--always", "--dirty"])),
        }
    }
}

/// The value of a `/proc/cpuinfo` line `name\t: value`.
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let (key, value) = line.split_once(':')?;
    (key.trim() == name).then(|| value.trim())
}

/// The system's load average over the last minute: how many processes
/// were running or waiting to run, on average. Above zero before a run,
/// something else is using the machine.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}
