//! Which process owns a running scan, and whether that process is still alive.
//!
//! A scan records its owner: host name, process id, and the process's start time (on Linux,
//! field 22 of `/proc/PID/stat`, in clock ticks since boot). Recovery marks a running scan
//! failed only when its owner ran on this host and is provably gone: no such process, a
//! zombie, or a process of the same id that started at another time (the id was reused).
//! Scans owned by other hosts, or on systems without `/proc`, are left alone;
//! [`Store::recover_all`](crate::Store::recover_all) marks every running scan failed for a
//! caller that knows it holds the store alone.

/// Identity of a process that runs scans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Host name.
    pub host: String,
    /// Process id.
    pub pid: i64,
    /// Process start time in clock ticks since boot (Linux); 0 when unknown.
    pub start: i64,
}

impl Owner {
    /// The current process.
    pub fn current() -> Self {
        let pid = i64::from(std::process::id());
        Self {
            host: host_name(),
            pid,
            start: proc_stat(pid).map(|s| s.start).unwrap_or(0),
        }
    }
}

/// Whether the owner of a scan is alive, as far as this process can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// Still running.
    Alive,
    /// Gone (exited, zombie, or its pid now belongs to another process).
    Dead,
    /// Cannot tell: another host, or no `/proc` here.
    Unknown,
}

/// Whether `owner` is alive, seen from the current process on host `here`.
pub fn liveness(owner: &Owner, here: &str) -> Liveness {
    if owner.host != here || !cfg!(target_os = "linux") {
        return Liveness::Unknown;
    }
    if owner.pid <= 0 {
        return Liveness::Dead;
    }
    match proc_stat(owner.pid) {
        None => Liveness::Dead,
        Some(stat) if matches!(stat.state, 'Z' | 'X' | 'x') => Liveness::Dead,
        Some(stat) if owner.start != 0 && stat.start != owner.start => Liveness::Dead,
        Some(_) => Liveness::Alive,
    }
}

/// The host name, from the kernel or the environment; `unknown` when neither says.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("COMPUTERNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

struct ProcStat {
    state: char,
    start: i64,
}

/// State and start time of a process from `/proc/PID/stat`; `None` when it does not exist.
fn proc_stat(pid: i64) -> Option<ProcStat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the
    // last `)`. The state is field 3 and the start time field 22 (1-based).
    let after = &text[text.rfind(')')? + 1..];
    let mut fields = after.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let start = fields.nth(18)?.parse().ok()?;
    Some(ProcStat { state, start })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_process_is_alive() {
        let me = Owner::current();
        if cfg!(target_os = "linux") {
            assert_ne!(me.start, 0);
            assert_eq!(liveness(&me, &me.host), Liveness::Alive);
            let reused = Owner {
                start: me.start + 1,
                ..me.clone()
            };
            assert_eq!(liveness(&reused, &me.host), Liveness::Dead);
        }
        assert_eq!(liveness(&me, "another-host"), Liveness::Unknown);
    }
}
