//! What a machine is, read from the system when the benchmarks run, and how it is named.

use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

/// The machine description stored with every results file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Machine {
    /// A stable name for results from this kind of machine, e.g.
    /// `x86_64-intel-xeon-processor-f6m207-2cpu`.
    pub id: String,
    /// CPU model as the kernel reports it.
    pub cpu_model: String,
    /// `x86_64`, `aarch64`, ...
    pub arch: String,
    /// Logical CPUs online.
    pub logical_cpus: usize,
    /// Physical cores (distinct core ids per package), when the kernel says.
    pub physical_cores: Option<usize>,
    /// NUMA nodes.
    pub numa_nodes: usize,
    /// The instruction-set extensions present among [`CPU_FLAGS`] (`sse4.2`, `avx2`, `avx512f`,
    /// `bmi2`, `neon`, ...).
    pub simd: Vec<String>,
    /// Cache sizes of CPU 0 in bytes: `l1d`, `l1i`, `l2`, `l3`.
    pub caches: std::collections::BTreeMap<String, u64>,
    /// Total memory in bytes.
    pub memory_bytes: u64,
    /// Hypervisor, if the CPU reports running under one.
    pub hypervisor: Option<String>,
    /// Operating system, as `/etc/os-release` names it.
    pub os: String,
    /// Kernel release.
    pub kernel: String,
    /// `rustc --version`.
    pub rustc: String,
    /// `valgrind --version`, if installed.
    pub valgrind: Option<String>,
    /// Commit of the repository the benchmarks were built from.
    pub git_commit: String,
    /// Whether that checkout had uncommitted changes outside `results/` (the measured sources).
    pub git_dirty: bool,
    /// When the run finished, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub date: String,
    /// `quick` or `full`.
    pub mode: String,
    /// Facts about the clock, the kernel and the permissions that pages state about the
    /// machine, as measured or read when the benchmarks ran. Absent in results collected
    /// before they were recorded (which read as they are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<Facts>,
}

/// What a page would otherwise state about the machine from memory: each measured or read at
/// collect time, and `None` when it could not be (nothing is guessed).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// The core clock in GHz while the benchmarks ran, measured by two dependency chains the
    /// core cannot shortcut ([`crate::clock`]); present only when the two agree within 5%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_ghz: Option<f64>,
    /// The clock in GHz a chain of dependent `imul` (3 cycles each) implies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_imul_ghz: Option<f64>,
    /// The clock in GHz a chain of dependent `add reg, [mem]` (1 cycle each) implies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_add_ghz: Option<f64>,
    /// Whether the three clock fields above are the machine card's, put there when the
    /// results were read beside a card of the same machine ([`crate::card::adopt_clock`]);
    /// never stored.
    #[serde(skip)]
    pub clock_from_card: bool,
    /// The kernel's tick rate, `CONFIG_HZ` in `/boot/config-<release>`, when that is readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tick_hz: Option<u32>,
    /// The clock source the kernel reads time from (`tsc`, `kvm-clock`, `hpet`, ...), from
    /// `/sys/devices/system/clocksource/clocksource0/current_clocksource`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clocksource: Option<String>,
    /// The transparent-huge-page policy (`always`, `madvise` or `never`), the bracketed choice
    /// in `/sys/kernel/mm/transparent_hugepage/enabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thp_enabled: Option<String>,
    /// When the kernel compacts memory to make huge pages (`always`, `defer`,
    /// `defer+madvise`, `madvise` or `never`), from `/sys/kernel/mm/transparent_hugepage/defrag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thp_defrag: Option<String>,
    /// `/proc/sys/kernel/perf_event_paranoid`: what unprivileged processes may measure with
    /// `perf_event_open` (2: their own user space only; -1: everything).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perf_event_paranoid: Option<i32>,
    /// Whether this process could open a hardware instruction counter
    /// (`PERF_COUNT_HW_INSTRUCTIONS`, user space, this process): false in most virtual
    /// machines and containers, and under a strict `perf_event_paranoid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware_counters: Option<bool>,
    /// Whether a thread of this process could give itself real-time priority (`SCHED_FIFO`,
    /// priority 1), which latency experiments use to keep other work off their core.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime_allowed: Option<bool>,
    /// The share of every scheduling period that real-time threads may hold a CPU while normal
    /// threads wait for it: `/proc/sys/kernel/sched_rt_runtime_us` of
    /// `/proc/sys/kernel/sched_rt_period_us`, in µs (-1: no limit). A real-time thread that
    /// runs longer without a break is stopped for the rest of the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rt_runtime_us: Option<i64>,
    /// The period of [`Facts::rt_runtime_us`], µs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rt_period_us: Option<u64>,
}

impl Facts {
    /// Measures and reads the facts of this machine now; the clock measurement takes about
    /// 0.2 s.
    pub fn detect(kernel_release: &str) -> Facts {
        let clock = crate::clock::measure();
        let read = |p: &str| std::fs::read_to_string(p).ok();
        Facts {
            clock_ghz: clock.and_then(|c| c.clock_ghz),
            clock_imul_ghz: clock.map(|c| c.imul_ghz),
            clock_add_ghz: clock.map(|c| c.add_ghz),
            clock_from_card: false,
            tick_hz: read(&format!("/boot/config-{kernel_release}")).and_then(|t| config_hz(&t)),
            clocksource: read("/sys/devices/system/clocksource/clocksource0/current_clocksource")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            thp_enabled: read("/sys/kernel/mm/transparent_hugepage/enabled")
                .and_then(|t| bracketed(&t)),
            thp_defrag: read("/sys/kernel/mm/transparent_hugepage/defrag")
                .and_then(|t| bracketed(&t)),
            perf_event_paranoid: read("/proc/sys/kernel/perf_event_paranoid")
                .and_then(|t| t.trim().parse().ok()),
            hardware_counters: hardware_counters(),
            realtime_allowed: realtime_allowed(),
            rt_runtime_us: read("/proc/sys/kernel/sched_rt_runtime_us")
                .and_then(|t| t.trim().parse().ok()),
            rt_period_us: read("/proc/sys/kernel/sched_rt_period_us")
                .and_then(|t| t.trim().parse().ok()),
        }
    }
}

/// `CONFIG_HZ` in a kernel configuration (`CONFIG_HZ=250`).
pub fn config_hz(config: &str) -> Option<u32> {
    config
        .lines()
        .find_map(|l| l.trim().strip_prefix("CONFIG_HZ="))
        .and_then(|v| v.trim().parse().ok())
}

/// The choice in brackets among a sysfs file's choices (`always [madvise] never`).
pub fn bracketed(choices: &str) -> Option<String> {
    let (_, rest) = choices.split_once('[')?;
    let (choice, _) = rest.split_once(']')?;
    (!choice.is_empty()).then(|| choice.to_string())
}

/// `struct perf_event_attr` of `<linux/perf_event.h>` as far as the probe needs it, padded to
/// the 128 bytes of `PERF_ATTR_SIZE_VER7` (the kernel accepts any known size, and a larger one
/// whose extra bytes are zero).
#[cfg(target_os = "linux")]
#[repr(C)]
struct PerfEventAttr {
    kind: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    /// The bit fields: `disabled` is bit 0, `exclude_kernel` bit 5, `exclude_hv` bit 6.
    flags: u64,
    wakeup_events: u32,
    bp_type: u32,
    config1: u64,
    config2: u64,
    rest: [u64; 7],
}

/// Whether `perf_event_open` gives this process a user-space instruction counter.
#[cfg(target_os = "linux")]
fn hardware_counters() -> Option<bool> {
    const PERF_TYPE_HARDWARE: u32 = 0;
    const PERF_COUNT_HW_INSTRUCTIONS: u64 = 1;
    const DISABLED: u64 = 1 << 0;
    const EXCLUDE_KERNEL: u64 = 1 << 5;
    const EXCLUDE_HV: u64 = 1 << 6;
    const PERF_FLAG_FD_CLOEXEC: libc::c_ulong = 1 << 3;
    let attr = PerfEventAttr {
        kind: PERF_TYPE_HARDWARE,
        size: std::mem::size_of::<PerfEventAttr>() as u32,
        config: PERF_COUNT_HW_INSTRUCTIONS,
        sample_period: 0,
        sample_type: 0,
        read_format: 0,
        flags: DISABLED | EXCLUDE_KERNEL | EXCLUDE_HV,
        wakeup_events: 0,
        bp_type: 0,
        config1: 0,
        config2: 0,
        rest: [0; 7],
    };
    // SAFETY: `perf_event_open(attr, pid, cpu, group_fd, flags)` reads `attr.size` bytes from
    // a live, initialised `PerfEventAttr` of exactly that size and writes nothing of ours; pid
    // 0 and cpu -1 name this process on any CPU, group_fd -1 no group.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_perf_event_open,
            &attr as *const PerfEventAttr,
            0 as libc::pid_t,
            -1 as libc::c_int,
            -1 as libc::c_int,
            PERF_FLAG_FD_CLOEXEC,
        )
    };
    if fd < 0 {
        return Some(false);
    }
    // SAFETY: `fd` is a descriptor the kernel just returned to this function, which nothing
    // else owns; it is closed once.
    unsafe {
        libc::close(fd as libc::c_int);
    }
    Some(true)
}

#[cfg(not(target_os = "linux"))]
fn hardware_counters() -> Option<bool> {
    None
}

/// Whether a thread of this process may switch itself to `SCHED_FIFO` at priority 1: tried
/// on a thread spawned for it, which ends with the priority it got.
#[cfg(target_os = "linux")]
fn realtime_allowed() -> Option<bool> {
    std::thread::spawn(|| {
        let param = libc::sched_param { sched_priority: 1 };
        // SAFETY: `pthread_self()` is the calling thread, alive for the call; `param` is a
        // live, initialised `sched_param` the call only reads.
        let rc =
            unsafe { libc::pthread_setschedparam(libc::pthread_self(), libc::SCHED_FIFO, &param) };
        rc == 0
    })
    .join()
    .ok()
}

#[cfg(not(target_os = "linux"))]
fn realtime_allowed() -> Option<bool> {
    None
}

/// The CPU flags (as `/proc/cpuinfo` names them) a results file records in `machine.simd`: the
/// vector extensions and the other instruction sets chapters choose between at run time,
/// where `sse4_2` is written `sse4.2` and `asimd` `neon`.
pub const CPU_FLAGS: [&str; 11] = [
    "sse2", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "bmi2", "asimd",
    "sve",
];

/// The names [`CPU_FLAGS`] take in `machine.simd`, which a chapter's `requires` may name.
pub fn feature_names() -> Vec<String> {
    CPU_FLAGS
        .iter()
        .map(|f| f.replace('_', ".").replace("asimd", "neon"))
        .collect()
}

impl Machine {
    /// A made-up machine, for tests and examples: 2 CPUs, x86_64, full mode, no facts.
    pub fn example() -> Machine {
        Machine {
            id: "x86_64-test-machine-2cpu".into(),
            cpu_model: "Test CPU".into(),
            arch: "x86_64".into(),
            logical_cpus: 2,
            physical_cores: Some(2),
            numa_nodes: 1,
            simd: vec!["sse2".into(), "avx2".into()],
            caches: [
                ("l1d".to_string(), 48 << 10),
                ("l2".to_string(), 2 << 20),
                ("l3".to_string(), 32 << 20),
            ]
            .into(),
            memory_bytes: 24 << 30,
            hypervisor: Some("KVM".into()),
            os: "Debian GNU/Linux 12 (bookworm)".into(),
            kernel: "6.1.0".into(),
            rustc: "rustc 1.95.0".into(),
            valgrind: Some("valgrind-3.19.0".into()),
            git_commit: "0123456789abcdef".into(),
            git_dirty: false,
            date: "2026-11-22T00:00:00Z".into(),
            mode: "full".into(),
            facts: None,
        }
    }
}

impl Machine {
    /// Describes this machine now.
    pub fn detect(root: &Path, mode: &str) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let field = |name: &str| key_value(&cpuinfo, name);
        let arch = std::env::consts::ARCH.to_string();
        let cpu_model = field("model name")
            .or_else(|| lscpu_field("Model name"))
            .unwrap_or_else(|| "unknown CPU".to_string());
        let flags: Vec<String> = field("flags")
            .or_else(|| field("Features"))
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let simd = CPU_FLAGS
            .iter()
            .filter(|f| flags.iter().any(|x| x == *f))
            .map(|f| f.replace('_', ".").replace("asimd", "neon"))
            .collect();
        let logical_cpus = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let mut core_ids: Vec<(String, String)> = Vec::new();
        let mut phys = None;
        for block in cpuinfo.split("\n\n") {
            if let (Some(p), Some(c)) =
                (key_value(block, "physical id"), key_value(block, "core id"))
            {
                core_ids.push((p, c));
            }
        }
        if !core_ids.is_empty() {
            core_ids.sort();
            core_ids.dedup();
            phys = Some(core_ids.len());
        }
        let numa_nodes = std::fs::read_dir("/sys/devices/system/node")
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| {
                        let n = e.file_name();
                        let n = n.to_string_lossy();
                        n.starts_with("node") && n[4..].chars().all(|c| c.is_ascii_digit())
                    })
                    .count()
            })
            .unwrap_or(0)
            .max(1);
        let memory_bytes = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find(|l| l.starts_with("MemTotal:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<u64>().ok())
            })
            .unwrap_or(0)
            * 1024;
        let hypervisor = if flags.iter().any(|f| f == "hypervisor") {
            Some(lscpu_field("Hypervisor vendor").unwrap_or_else(|| "unknown".to_string()))
        } else {
            None
        };
        let os = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("PRETTY_NAME="))
                    .map(|l| l["PRETTY_NAME=".len()..].trim_matches('"').to_string())
            })
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        let facts = Facts::detect(&kernel);
        let family = field("cpu family");
        let model = field("model");
        let id = machine_id(
            &arch,
            &cpu_model,
            family.as_deref(),
            model.as_deref(),
            logical_cpus,
        );
        Machine {
            id,
            cpu_model,
            arch,
            logical_cpus,
            physical_cores: phys,
            numa_nodes,
            simd,
            caches: caches(),
            memory_bytes,
            hypervisor,
            os,
            kernel,
            rustc: output("rustc", &["--version"]).unwrap_or_else(|| "unknown rustc".to_string()),
            valgrind: output("valgrind", &["--version"]),
            git_commit: git(root, &["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".to_string()),
            // Changes to the measured sources: `results/` holds measurements, among them the
            // card a whole-book run writes before its chapters, which is no change to what
            // they measure.
            git_dirty: git(
                root,
                &[
                    "status",
                    "--porcelain",
                    "--untracked-files=no",
                    "--",
                    ".",
                    ":!results",
                ],
            )
            .is_some_and(|s| !s.is_empty()),
            date: utc_now(),
            mode: mode.to_string(),
            facts: Some(facts),
        }
    }

    /// One line naming the machine, for provenance lines.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} ({}, {} CPUs",
            self.cpu_model, self.arch, self.logical_cpus
        );
        if let Some(l3) = self.caches.get("l3") {
            s += &format!(", L3 {}", human_bytes(*l3));
        }
        if let Some(h) = &self.hypervisor {
            s += &format!(", {h} guest");
        }
        s + ")"
    }

    /// The commit, shortened, with `+changes` when the tree was dirty.
    pub fn short_commit(&self) -> String {
        let c: String = self.git_commit.chars().take(10).collect();
        if self.git_dirty {
            format!("{c}+changes")
        } else {
            c
        }
    }

    /// The date part of [`Machine::date`].
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

/// `arch-vendor-model-fFmM-Ncpu`, lower case, for file and directory names.
pub fn machine_id(
    arch: &str,
    cpu_model: &str,
    family: Option<&str>,
    model: Option<&str>,
    cpus: usize,
) -> String {
    let cleaned = cpu_model
        .replace("(R)", " ")
        .replace("(TM)", " ")
        .replace("(tm)", " ")
        .replace("CPU", " ");
    let mut slug = String::new();
    for c in cleaned.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    let fm = match (family, model) {
        (Some(f), Some(m)) => format!("-f{f}m{m}"),
        _ => String::new(),
    };
    format!("{arch}-{slug}{fm}-{cpus}cpu")
}

/// Sizes like `48 KiB`, `2 MiB`.
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if (v - v.round()).abs() < 0.05 {
        format!("{} {}", v.round(), UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn caches() -> std::collections::BTreeMap<String, u64> {
    let mut out = std::collections::BTreeMap::new();
    let Ok(dir) = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache") else {
        return out;
    };
    for e in dir.filter_map(Result::ok) {
        let p = e.path();
        let read = |f: &str| {
            std::fs::read_to_string(p.join(f))
                .map(|s| s.trim().to_string())
                .ok()
        };
        let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
        else {
            continue;
        };
        let bytes = parse_size(&size);
        let name = match (level.as_str(), kind.as_str()) {
            ("1", "Data") => "l1d".to_string(),
            ("1", "Instruction") => "l1i".to_string(),
            (l, _) => format!("l{l}"),
        };
        if let Some(b) = bytes {
            out.insert(name, b);
        }
    }
    out
}

fn parse_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()? {
        'K' => (&s[..s.len() - 1], 1024),
        'M' => (&s[..s.len() - 1], 1024 * 1024),
        'G' => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

/// The value of the first `key: value` line whose key is `key` (as /proc/cpuinfo and lscpu
/// write them).
fn key_value(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find(|l| l.split(':').next().map(str::trim) == Some(key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

fn lscpu_field(name: &str) -> Option<String> {
    key_value(&output("lscpu", &[])?, name)
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let o = Command::new(cmd).args(args).output().ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// `git -C root <args>`'s output, trimmed; `None` when git fails or is missing.
pub(crate) fn git(root: &Path, args: &[&str]) -> Option<String> {
    let o = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`, without a date crate.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format_utc(secs)
}

/// Formats seconds since the Unix epoch (days-to-civil conversion by Howard Hinnant's method).
pub fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_match_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_795_307_520), "2026-11-22T00:32:00Z");
    }

    #[test]
    fn machine_ids_are_slugs() {
        assert_eq!(
            machine_id(
                "x86_64",
                "Intel(R) Xeon(R) Processor",
                Some("6"),
                Some("207"),
                2
            ),
            "x86_64-intel-xeon-processor-f6m207-2cpu"
        );
        assert_eq!(
            machine_id("aarch64", "Neoverse-N1", None, None, 4),
            "aarch64-neoverse-n1-4cpu"
        );
    }

    #[test]
    fn kernel_settings_read_like_the_kernel_writes_them() {
        let config =
            "# CONFIG_HZ_100 is not set\nCONFIG_HZ_250=y\nCONFIG_HZ=250\nCONFIG_HZ_PERIODIC=n\n";
        assert_eq!(config_hz(config), Some(250));
        assert_eq!(config_hz("CONFIG_HZ_1000=y\n"), None);
        assert_eq!(
            bracketed("always [madvise] never\n"),
            Some("madvise".into())
        );
        assert_eq!(
            bracketed("always defer [defer+madvise] madvise never\n"),
            Some("defer+madvise".into())
        );
        assert_eq!(bracketed("always madvise never\n"), None);
        assert_eq!(bracketed("[]"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_perf_event_attr_has_a_size_the_kernel_knows() {
        assert_eq!(std::mem::size_of::<PerfEventAttr>(), 128);
    }

    #[test]
    fn sizes_read_like_the_kernel_writes_them() {
        assert_eq!(parse_size("48K"), Some(48 * 1024));
        assert_eq!(parse_size("2048K"), Some(2 << 20));
        assert_eq!(human_bytes(2 << 20), "2 MiB");
        assert_eq!(human_bytes(300 << 20), "300 MiB");
    }
}
