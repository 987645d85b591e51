//! Resident set size: how much of the process's memory is in RAM now and at most so far, as
//! Linux reports it in `/proc/self/status` (`VmRSS` and `VmHWM`), and resetting the peak
//! through `/proc/self/clear_refs` so that one experiment's peak is not an earlier one's.
//!
//! RSS counts pages, not allocations: memory the allocator keeps after a `free` still counts,
//! and memory allocated but never touched does not. It is what the operating system charges
//! the process for, which is the number to compare allocators by (chapter 10).

use std::io;

/// The status file the readings come from.
pub const STATUS: &str = "/proc/self/status";
/// The file that resets the peak when `5` is written to it (Linux 4.0 and later).
pub const CLEAR_REFS: &str = "/proc/self/clear_refs";

/// One reading of the resident set size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rss {
    /// Bytes resident now (`VmRSS`).
    pub current_bytes: u64,
    /// The most bytes resident at once since the process started or the peak was last reset
    /// (`VmHWM`, the high-water mark).
    pub peak_bytes: u64,
}

impl Rss {
    /// The custom metrics of a reading: `rss_bytes` and `peak_rss_bytes`.
    pub fn metrics(&self) -> [(&'static str, f64); 2] {
        [
            ("rss_bytes", self.current_bytes as f64),
            ("peak_rss_bytes", self.peak_bytes as f64),
        ]
    }
}

/// The value of a `Name:   1234 kB` line of a status file, in bytes.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))?;
    let mut parts = line.split_whitespace();
    let kib: u64 = parts.next()?.parse().ok()?;
    if parts.next()? != "kB" || parts.next().is_some() {
        return None;
    }
    kib.checked_mul(1024)
}

/// The reading in the text of a status file; `None` when a field is missing or malformed.
pub fn parse_status(text: &str) -> Option<Rss> {
    Some(Rss {
        current_bytes: kib_field(text, "VmRSS")?,
        peak_bytes: kib_field(text, "VmHWM")?,
    })
}

/// Reads the process's resident set size now.
///
/// # Errors
/// When the status file cannot be read (not Linux, no `/proc`) or lacks the fields.
pub fn read() -> io::Result<Rss> {
    let text = std::fs::read_to_string(STATUS)?;
    parse_status(&text).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{STATUS} has no VmRSS and VmHWM lines in kB"),
        )
    })
}

/// The result of [`reset_peak`].
#[derive(Debug)]
pub enum PeakReset {
    /// The kernel reset the peak to the current size; the reading just after.
    Reset(Rss),
    /// The reset was refused or is not supported (a kernel before 4.0, a read-only `/proc`, not
    /// Linux), with the error: the peak still covers the process's whole life.
    Refused(io::Error),
}

impl PeakReset {
    /// Whether the peak was reset.
    pub fn worked(&self) -> bool {
        matches!(self, PeakReset::Reset(_))
    }
}

/// Resets the peak resident set size to the current one by writing `5` to
/// [`CLEAR_REFS`], where the kernel permits it, and says whether it did.
pub fn reset_peak() -> PeakReset {
    match std::fs::write(CLEAR_REFS, "5").and_then(|()| read()) {
        Ok(after) => PeakReset::Reset(after),
        Err(e) => PeakReset::Refused(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS_TEXT: &str = "Name:\tbench\nVmPeak:\t  20000 kB\nVmHWM:\t    9000 kB\nVmRSS:\t    4321 kB\nThreads:\t1\n";

    #[test]
    fn the_status_fields_are_read_in_bytes() {
        assert_eq!(
            parse_status(STATUS_TEXT),
            Some(Rss {
                current_bytes: 4321 * 1024,
                peak_bytes: 9000 * 1024,
            })
        );
        assert_eq!(parse_status("VmRSS:\t 12 kB\n"), None, "no VmHWM");
        assert_eq!(parse_status("VmRSS:\t 12 MB\nVmHWM:\t 12 kB\n"), None);
        assert_eq!(parse_status("VmRSS:\t x kB\nVmHWM:\t 12 kB\n"), None);
        assert_eq!(
            parse_status("VmRSS:\t 99999999999999999 kB\nVmHWM:\t 1 kB\n"),
            None,
            "more bytes than a u64 holds"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_peak_holds_after_a_free_until_it_is_reset() {
        const BIG: usize = 64 << 20;
        let base = read().unwrap();
        assert!(base.current_bytes > 0 && base.peak_bytes >= base.current_bytes);
        // Written byte by byte, so every page is resident; large enough that the allocator
        // maps it separately and returns it to the system when it is freed.
        let block = vec![1u8; BIG];
        let touched = read().unwrap();
        assert!(
            touched.current_bytes >= base.current_bytes + BIG as u64 / 2,
            "{base:?} then {touched:?}"
        );
        drop(std::hint::black_box(block));
        let freed = read().unwrap();
        // The kernel sums its resident-page counters per CPU lazily, so two readings may
        // disagree by a few hundred kilobytes; the block itself is 64 MiB.
        assert!(
            freed.peak_bytes + (BIG as u64) / 16 >= touched.current_bytes,
            "{touched:?} then {freed:?}"
        );
        match reset_peak() {
            PeakReset::Reset(after) => {
                assert!(
                    after.peak_bytes + (BIG as u64) / 2 < touched.current_bytes,
                    "the peak after the reset, {after:?}, still holds the freed block ({touched:?})"
                );
            }
            PeakReset::Refused(e) => eprintln!("resetting the peak is not permitted here: {e}"),
        }
    }
}
