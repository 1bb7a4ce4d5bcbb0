//! What Linux's `/proc` says of a running process: its memory, its open
//! files. `load` and `bench` read the relay's there.

/// A `/proc/<pid>/status` field given in kB, such as `VmRSS:   12345 kB`.
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

/// How many files (sockets included) a process has open.
pub fn open_files(pid: u32) -> Option<usize> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count())
}
