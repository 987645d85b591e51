//! A reader of the CPU's performance counters through Linux's `perf_event_open(2)`, with no
//! crate between the program and the system call.
//!
//! One counter per event, each counting this thread from [`Counter::enable`] to
//! [`Counter::disable`]. Hardware events (instructions, cycles, cache and branch misses) need a
//! performance monitoring unit the kernel can program; a virtual machine often hides it, and
//! then the system call fails with `ENOENT` or `EOPNOTSUPP`. Software events (task clock,
//! page faults, context switches) are counted by the kernel itself and open everywhere
//! `perf_event_open` is allowed. [`open`] says which happened, as a typed error, never a panic.

use std::fmt;
use std::io;

/// `perf_event_attr`'s size in the first kernel ABI (Linux 2.6.31): up to `config1`.
pub const PERF_ATTR_SIZE_VER0: usize = 64;
/// `perf_event_attr`'s size with `sig_data` (Linux 5.13).
pub const PERF_ATTR_SIZE_VER7: usize = 128;
/// `perf_event_attr`'s size with `config3` (Linux 6.3), the layout of [`PerfEventAttr`].
pub const PERF_ATTR_SIZE_VER8: usize = 136;

// ANCHOR: attr
/// `struct perf_event_attr` of `<linux/perf_event.h>`, ABI version 8. The kernel reads `size`
/// to learn which version the caller speaks, so an older kernel accepts it as long as the
/// fields it does not know are zero.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct PerfEventAttr {
    /// Major type: hardware, software, tracepoint, ...
    pub type_: u32,
    /// Size of this structure, for versioning.
    pub size: u32,
    /// Which event of the type.
    pub config: u64,
    /// Sampling period or frequency (unused when counting).
    pub sample_period: u64,
    /// What a sample records (unused when counting).
    pub sample_type: u64,
    /// What `read(2)` returns.
    pub read_format: u64,
    /// The bit fields: `disabled` (bit 0), `inherit` (1), `exclude_user` (4),
    /// `exclude_kernel` (5), `exclude_hv` (6), ...
    pub flags: u64,
    /// Wake-up every n events or bytes (unused when counting).
    pub wakeup_events: u32,
    /// Breakpoint type.
    pub bp_type: u32,
    /// Extension of `config`.
    pub config1: u64,
    /// Extension of `config1`.
    pub config2: u64,
    /// Branch sampling filter.
    pub branch_sample_type: u64,
    /// User registers to dump on samples.
    pub sample_regs_user: u64,
    /// User stack bytes to dump on samples.
    pub sample_stack_user: u32,
    /// Clock of the time stamps.
    pub clockid: i32,
    /// Registers to dump on interrupt samples.
    pub sample_regs_intr: u64,
    /// AUX area watermark.
    pub aux_watermark: u32,
    /// Maximum stack depth of call-chain samples.
    pub sample_max_stack: u16,
    /// Reserved, zero.
    pub reserved_2: u16,
    /// AUX sample size.
    pub aux_sample_size: u32,
    /// Reserved, zero.
    pub reserved_3: u32,
    /// User data for `SIGTRAP` on sampled events.
    pub sig_data: u64,
    /// Extension of `config2`.
    pub config3: u64,
}
// ANCHOR_END: attr

const PERF_TYPE_HARDWARE: u32 = 0;
const PERF_TYPE_SOFTWARE: u32 = 1;
const FLAG_DISABLED: u64 = 1 << 0;
const FLAG_EXCLUDE_KERNEL: u64 = 1 << 5;
const FLAG_EXCLUDE_HV: u64 = 1 << 6;
const READ_TOTAL_TIME_ENABLED: u64 = 1 << 0;
const READ_TOTAL_TIME_RUNNING: u64 = 1 << 1;
const PERF_FLAG_FD_CLOEXEC: libc::c_ulong = 1 << 3;
// `_IO('$', n)`: no direction, no size, type `$` (0x24).
const IOC_ENABLE: libc::c_ulong = 0x2400;
const IOC_DISABLE: libc::c_ulong = 0x2401;
const IOC_RESET: libc::c_ulong = 0x2403;

/// An event this reader can count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Instructions retired (hardware).
    Instructions,
    /// CPU cycles (hardware).
    Cycles,
    /// Last-level cache misses (hardware).
    CacheMisses,
    /// Mispredicted branches (hardware).
    BranchMisses,
    /// Nanoseconds this task ran on a CPU (software).
    TaskClock,
    /// Page faults (software).
    PageFaults,
    /// Context switches (software).
    ContextSwitches,
}

impl Event {
    /// The four hardware events, then the three software ones.
    pub const ALL: [Event; 7] = [
        Event::Instructions,
        Event::Cycles,
        Event::CacheMisses,
        Event::BranchMisses,
        Event::TaskClock,
        Event::PageFaults,
        Event::ContextSwitches,
    ];

    /// The name `perf stat` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Event::Instructions => "instructions",
            Event::Cycles => "cycles",
            Event::CacheMisses => "cache-misses",
            Event::BranchMisses => "branch-misses",
            Event::TaskClock => "task-clock",
            Event::PageFaults => "page-faults",
            Event::ContextSwitches => "context-switches",
        }
    }

    /// Whether the CPU counts it (true) or the kernel (false).
    pub fn is_hardware(self) -> bool {
        self.type_config().0 == PERF_TYPE_HARDWARE
    }

    fn type_config(self) -> (u32, u64) {
        match self {
            Event::Cycles => (PERF_TYPE_HARDWARE, 0),
            Event::Instructions => (PERF_TYPE_HARDWARE, 1),
            Event::CacheMisses => (PERF_TYPE_HARDWARE, 3),
            Event::BranchMisses => (PERF_TYPE_HARDWARE, 5),
            Event::TaskClock => (PERF_TYPE_SOFTWARE, 1),
            Event::PageFaults => (PERF_TYPE_SOFTWARE, 2),
            Event::ContextSwitches => (PERF_TYPE_SOFTWARE, 3),
        }
    }

    /// The attribute that counts this event for the calling thread, starting disabled.
    pub fn attr(self, exclude_kernel: bool) -> PerfEventAttr {
        let (type_, config) = self.type_config();
        PerfEventAttr {
            type_,
            size: PERF_ATTR_SIZE_VER8 as u32,
            config,
            read_format: READ_TOTAL_TIME_ENABLED | READ_TOTAL_TIME_RUNNING,
            flags: FLAG_DISABLED
                | FLAG_EXCLUDE_HV
                | if exclude_kernel {
                    FLAG_EXCLUDE_KERNEL
                } else {
                    0
                },
            ..PerfEventAttr::default()
        }
    }
}

/// Why an event did not open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenErrorKind {
    /// The kernel or the (virtual) CPU has no such event: `ENOENT`, `EOPNOTSUPP`, `ENODEV`.
    NotSupported,
    /// Not allowed: `EACCES` or `EPERM` (see `/proc/sys/kernel/perf_event_paranoid`).
    Denied,
    /// Any other failure.
    Other,
}

/// An event that could not be opened, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenError {
    /// The event.
    pub event: Event,
    /// The kind of failure.
    pub kind: OpenErrorKind,
    /// The `errno` of the system call (0 where `perf_event_open` does not exist).
    pub errno: i32,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            OpenErrorKind::NotSupported => "not supported here",
            OpenErrorKind::Denied => "not permitted",
            OpenErrorKind::Other => "failed",
        };
        write!(
            f,
            "{} {what} ({})",
            self.event.name(),
            io::Error::from_raw_os_error(self.errno)
        )
    }
}

impl std::error::Error for OpenError {}

/// What a counter read: the count and how long it was enabled and actually counting. The two
/// times differ when the kernel multiplexed more events than the CPU has counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// The raw count.
    pub value: u64,
    /// Nanoseconds the counter was enabled.
    pub enabled_ns: u64,
    /// Nanoseconds it was scheduled on the hardware.
    pub running_ns: u64,
}

impl Reading {
    /// The count scaled up for multiplexing (`value * enabled / running`).
    pub fn scaled(&self) -> f64 {
        if self.running_ns == 0 || self.running_ns >= self.enabled_ns {
            self.value as f64
        } else {
            self.value as f64 * self.enabled_ns as f64 / self.running_ns as f64
        }
    }
}

/// An open counter of one event for the calling thread.
#[derive(Debug)]
pub struct Counter {
    fd: libc::c_int,
    /// The event counted.
    pub event: Event,
    /// Whether only user-mode events are counted (the kernel refused to count its own).
    pub user_only: bool,
}

// ANCHOR: open
/// Opens a counter of `event` for the calling thread, disabled. Where the kernel refuses to let
/// this process see kernel-mode events (`perf_event_paranoid` of 2 or more, not root), it
/// retries with user-mode events only, as `perf stat` does.
///
/// # Errors
/// An [`OpenError`] saying whether the event does not exist here or is not permitted.
pub fn open(event: Event) -> Result<Counter, OpenError> {
    open_with(event, open_attr)
}

/// [`open`], with the system call made by `open_attr`: the fallback is tested with an opener
/// that refuses kernel-mode events, as an unprivileged process meets it. The counter of the
/// retry is returned as it is: its attribute already says it counts user mode only.
fn open_with(
    event: Event,
    open_attr: impl Fn(Event, &PerfEventAttr) -> Result<Counter, OpenError>,
) -> Result<Counter, OpenError> {
    match open_attr(event, &event.attr(false)) {
        Err(e) if e.kind == OpenErrorKind::Denied => open_attr(event, &event.attr(true)),
        r => r,
    }
}

/// Opens a counter with an explicit attribute.
///
/// # Errors
/// As [`open`].
#[cfg(target_os = "linux")]
pub fn open_attr(event: Event, attr: &PerfEventAttr) -> Result<Counter, OpenError> {
    // SAFETY: `attr` points to a live, initialised `perf_event_attr` whose `size` field says
    // how many bytes the kernel may read (it is `size_of::<PerfEventAttr>()`, checked by the
    // tests); pid 0 and cpu -1 mean "this thread, on any CPU"; group -1 means no group.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_perf_event_open,
            attr as *const PerfEventAttr,
            0 as libc::pid_t,
            -1 as libc::c_int,
            -1 as libc::c_int,
            PERF_FLAG_FD_CLOEXEC,
        )
    };
    if fd < 0 {
        let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
        let kind = match errno {
            libc::ENOENT | libc::EOPNOTSUPP | libc::ENODEV => OpenErrorKind::NotSupported,
            libc::EACCES | libc::EPERM => OpenErrorKind::Denied,
            _ => OpenErrorKind::Other,
        };
        return Err(OpenError { event, kind, errno });
    }
    Ok(Counter {
        fd: fd as libc::c_int,
        event,
        user_only: attr.flags & FLAG_EXCLUDE_KERNEL != 0,
    })
}
// ANCHOR_END: open

/// Opens a counter with an explicit attribute: not on this system.
///
/// # Errors
/// Always: `perf_event_open` is Linux's.
#[cfg(not(target_os = "linux"))]
pub fn open_attr(event: Event, _attr: &PerfEventAttr) -> Result<Counter, OpenError> {
    Err(OpenError {
        event,
        kind: OpenErrorKind::NotSupported,
        errno: 0,
    })
}

impl Counter {
    fn ioctl(&self, request: libc::c_ulong) -> io::Result<()> {
        // SAFETY: `fd` is an open perf event descriptor owned by `self`; the three requests
        // used here take no argument.
        let rc = unsafe { libc::ioctl(self.fd, request as _, 0) };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    /// Sets the count to zero.
    ///
    /// # Errors
    /// When the ioctl fails.
    pub fn reset(&self) -> io::Result<()> {
        self.ioctl(IOC_RESET)
    }

    /// Starts counting.
    ///
    /// # Errors
    /// When the ioctl fails.
    pub fn enable(&self) -> io::Result<()> {
        self.ioctl(IOC_ENABLE)
    }

    /// Stops counting.
    ///
    /// # Errors
    /// When the ioctl fails.
    pub fn disable(&self) -> io::Result<()> {
        self.ioctl(IOC_DISABLE)
    }

    /// Reads the count and its times.
    ///
    /// # Errors
    /// When `read(2)` fails or returns fewer than three values.
    pub fn read(&self) -> io::Result<Reading> {
        let mut buf = [0u64; 3];
        // SAFETY: `buf` is 24 writable bytes, the size of the value, time-enabled and
        // time-running fields that `read_format` asked for.
        let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), size_of_val(&buf)) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        if n as usize != size_of_val(&buf) {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("perf counter read returned {n} bytes, not 24"),
            ));
        }
        Ok(Reading {
            value: buf[0],
            enabled_ns: buf[1],
            running_ns: buf[2],
        })
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        // SAFETY: `fd` was returned by perf_event_open and is closed exactly once, here.
        unsafe { libc::close(self.fd) };
    }
}

/// One event's outcome over a measured stretch of work.
#[derive(Debug)]
pub struct Measured {
    /// The event.
    pub event: Event,
    /// The reading, or why the event did not open.
    pub result: Result<Reading, OpenError>,
    /// Whether only user-mode events were counted.
    pub user_only: bool,
}

// ANCHOR: measure
/// Counts every event of `events` that opens over one call of `work`.
///
/// # Panics
/// When an opened counter cannot be reset, enabled, disabled or read: after a successful open
/// these fail only on a kernel bug or a closed descriptor.
pub fn measure(events: &[Event], work: impl FnOnce()) -> Vec<Measured> {
    let opened: Vec<(Event, Result<Counter, OpenError>)> =
        events.iter().map(|&e| (e, open(e))).collect();
    for c in opened.iter().filter_map(|(_, c)| c.as_ref().ok()) {
        c.reset().expect("reset an open perf counter");
        c.enable().expect("enable an open perf counter");
    }
    work();
    for c in opened.iter().filter_map(|(_, c)| c.as_ref().ok()) {
        c.disable().expect("disable an open perf counter");
    }
    opened
        .into_iter()
        .map(|(event, c)| match c {
            Ok(c) => Measured {
                event,
                result: Ok(c.read().expect("read an open perf counter")),
                user_only: c.user_only,
            },
            Err(e) => Measured {
                event,
                result: Err(e),
                user_only: false,
            },
        })
        .collect()
}
// ANCHOR_END: measure

/// A plain-text report of `measured`, one line per event, with counts divided by `runs`.
pub fn report(measured: &[Measured], runs: u64) -> String {
    let mut out = format!(
        "{:<17} {:<10} {:<24} {:>16}\n",
        "event", "counted by", "opened", "per run"
    );
    for m in measured {
        let by = if m.event.is_hardware() {
            "the CPU"
        } else {
            "the kernel"
        };
        let (opened, value) = match &m.result {
            Ok(r) => (
                if m.user_only {
                    "yes (user mode only)".to_string()
                } else {
                    "yes".to_string()
                },
                {
                    let v = r.scaled() / runs as f64;
                    if m.event == Event::TaskClock {
                        format!("{:.3} ms", v / 1e6)
                    } else {
                        format!("{v:.1}")
                    }
                },
            ),
            Err(e) => (
                format!(
                    "no: {}",
                    match e.kind {
                        OpenErrorKind::NotSupported => "not supported",
                        OpenErrorKind::Denied => "not permitted",
                        OpenErrorKind::Other => "failed",
                    }
                ),
                errno_name(e.errno).to_string(),
            ),
        };
        out.push_str(&format!(
            "{:<17} {by:<10} {opened:<24} {value:>16}\n",
            m.event.name()
        ));
    }
    out
}

/// The symbolic name of the `errno` values `perf_event_open` returns for a missing or
/// forbidden event.
pub fn errno_name(errno: i32) -> &'static str {
    match errno {
        libc::ENOENT => "ENOENT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::ENODEV => "ENODEV",
        libc::EACCES => "EACCES",
        libc::EPERM => "EPERM",
        libc::EINVAL => "EINVAL",
        libc::ENOSYS => "ENOSYS",
        0 => "no perf_event_open",
        _ => "other errno",
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// An opener that behaves as the kernel does for an unprivileged process with
    /// `perf_event_paranoid` of 2: kernel-mode counting is refused, user-mode counting is
    /// granted (a descriptor of /dev/null stands in for the counter).
    fn unprivileged(event: Event, attr: &PerfEventAttr) -> Result<Counter, OpenError> {
        if attr.flags & FLAG_EXCLUDE_KERNEL == 0 {
            return Err(OpenError {
                event,
                kind: OpenErrorKind::Denied,
                errno: libc::EACCES,
            });
        }
        // SAFETY: the path is a NUL-terminated string that lives for the call.
        let fd = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        assert!(fd >= 0, "cannot open /dev/null");
        Ok(Counter {
            fd,
            event,
            user_only: true,
        })
    }

    fn is_open(fd: libc::c_int) -> bool {
        // SAFETY: F_GETFD reads a descriptor's flags and touches no memory; an fd that is not
        // open gives -1 (EBADF).
        unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
    }

    #[test]
    fn the_user_only_fallback_returns_a_counter_whose_descriptor_is_still_open() {
        let c = open_with(Event::TaskClock, unprivileged).expect("the retry is granted");
        assert!(c.user_only, "the retry counts user mode only");
        assert!(
            is_open(c.fd),
            "the counter returned by the fallback must own an open descriptor, not a copy of one already closed"
        );
    }

    #[test]
    fn a_counter_that_opens_at_once_is_not_retried_and_a_refusal_of_both_is_returned() {
        let calls = std::cell::Cell::new(0);
        let granted = |event: Event, attr: &PerfEventAttr| {
            calls.set(calls.get() + 1);
            let mut c = unprivileged(event, &Event::TaskClock.attr(true))?;
            c.user_only = attr.flags & FLAG_EXCLUDE_KERNEL != 0;
            Ok(c)
        };
        let c = open_with(Event::TaskClock, granted).expect("granted");
        assert_eq!(calls.get(), 1);
        assert!(!c.user_only);
        let refused = |event: Event, _: &PerfEventAttr| -> Result<Counter, OpenError> {
            Err(OpenError {
                event,
                kind: OpenErrorKind::Denied,
                errno: libc::EACCES,
            })
        };
        let e = open_with(Event::TaskClock, refused).expect_err("refused twice");
        assert_eq!(e.kind, OpenErrorKind::Denied);
    }
}
