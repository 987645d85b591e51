//! Memory mapped by hand, so that the chapter controls its page size.
//!
//! The processor translates every virtual address to a physical one through the page tables,
//! and caches recent translations in its TLB. With the usual 4 KiB pages a gibibyte needs
//! 262,144 translations, far more than the TLB holds; with 2 MiB pages it needs 512. Linux
//! backs anonymous memory with 2 MiB pages (*transparent huge pages*) when its policy in
//! `/sys/kernel/mm/transparent_hugepage/enabled` allows: `always`, or `madvise` for memory the
//! program marked with `madvise(MADV_HUGEPAGE)`; `never` turns them off. [`Pages`] chooses the
//! advice, and [`LineBuf::huge_share`] reads back what the kernel actually did.

use std::ops::{Deref, DerefMut};

pub use inputs::LINE;

/// Bytes in a huge page (x86-64 and most AArch64 kernels).
pub const HUGE_PAGE: usize = 2 << 20;

/// One cache line: eight `u64`, aligned to a line boundary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct Line {
    /// The line's contents.
    pub words: [u64; 8],
}

/// Which pages to ask the kernel for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pages {
    /// `madvise(MADV_NOHUGEPAGE)`: 4 KiB pages only.
    Base,
    /// `madvise(MADV_HUGEPAGE)`: 2 MiB pages where the kernel can provide them.
    Huge,
}

impl Pages {
    /// Both, in the order the chapter shows them.
    pub const ALL: [Pages; 2] = [Pages::Base, Pages::Huge];

    /// The function name both harnesses use for benchmarks over these pages.
    pub fn name(self) -> &'static str {
        match self {
            Pages::Base => "base_pages",
            Pages::Huge => "huge_pages",
        }
    }
}

/// The kernel's transparent-huge-page policy: the bracketed word of
/// `/sys/kernel/mm/transparent_hugepage/enabled` (`always`, `madvise` or `never`), or `None`
/// where the file does not exist.
pub fn thp_policy() -> Option<String> {
    let text = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").ok()?;
    let start = text.find('[')? + 1;
    let end = start + text[start..].find(']')?;
    Some(text[start..end].to_string())
}

/// A zero-initialised array of [`Line`]s in its own anonymous mapping, aligned to a huge page
/// and advised as [`Pages`] says before any of it is touched.
pub struct LineBuf {
    /// Start of the whole mapping, as `mmap` returned it.
    map: *mut libc::c_void,
    /// Length of the whole mapping in bytes.
    map_len: usize,
    /// First line: the first huge-page boundary inside the mapping.
    lines: *mut Line,
    /// Number of lines.
    len: usize,
}

// SAFETY: a `LineBuf` owns its mapping exclusively, like a `Vec<Line>` owns its allocation;
// nothing in it is tied to the thread that created it.
unsafe impl Send for LineBuf {}
// SAFETY: shared access only reads the lines (through `Deref`), as for `&[Line]`.
unsafe impl Sync for LineBuf {}

impl LineBuf {
    /// Maps `len` lines (at least one) of zeroes and advises the kernel as `pages` says.
    ///
    /// # Panics
    /// When `len` is zero, when the mapping's size (the lines and one huge page) exceeds
    /// `isize::MAX` bytes, or when the mapping fails (out of address space or memory).
    pub fn new(len: usize, pages: Pages) -> LineBuf {
        assert!(len > 0, "a buffer of no lines");
        let bytes = len.checked_mul(LINE).expect("buffer size overflows");
        // One huge page more than needed, so that a huge-page boundary lies inside.
        let map_len = bytes
            .checked_add(HUGE_PAGE)
            .filter(|&n| isize::try_from(n).is_ok())
            .expect("buffer size overflows");
        // SAFETY: an anonymous private mapping at an address of the kernel's choosing; no
        // existing memory is affected. The result is checked against MAP_FAILED.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(
            map != libc::MAP_FAILED,
            "mmap of {map_len} bytes failed: {}",
            std::io::Error::last_os_error()
        );
        let offset = (map as usize).next_multiple_of(HUGE_PAGE) - map as usize;
        // SAFETY: `offset < HUGE_PAGE`, so the result lies inside the mapping, and the mapping
        // has room for `bytes` more after it.
        let lines = unsafe { map.cast::<u8>().add(offset) }.cast::<Line>();
        // ANCHOR: advise
        let advice = match pages {
            Pages::Base => libc::MADV_NOHUGEPAGE,
            Pages::Huge => libc::MADV_HUGEPAGE,
        };
        // SAFETY: the range lies inside our own mapping and starts on a page boundary. The
        // advice changes only how the kernel backs it, not its contents. A kernel without
        // transparent huge pages refuses it with EINVAL, and the buffer works without it, so
        // the result is deliberately ignored: `huge_share` reports what happened.
        let _ = unsafe { libc::madvise(lines.cast(), bytes.next_multiple_of(4096), advice) };
        // ANCHOR_END: advise
        LineBuf {
            map,
            map_len,
            lines,
            len,
        }
    }

    /// Address of the first line.
    pub fn as_ptr(&self) -> *const Line {
        self.lines
    }

    /// The percentage of the buffer's resident memory that the kernel backs with huge pages,
    /// from `/proc/self/smaps` (`AnonHugePages` over `Rss` of the mappings that overlap the
    /// buffer); `None` where that file cannot be read or nothing is resident.
    pub fn huge_share(&self) -> Option<f64> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let (lo, hi) = (self.lines as usize, self.lines as usize + self.len * LINE);
        let (mut rss, mut huge) = (0u64, 0u64);
        let mut inside = false;
        for line in smaps.lines() {
            let first = line.split_whitespace().next().unwrap_or("");
            if let Some((a, b)) = first.split_once('-')
                && let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
            {
                inside = a < hi && lo < b;
                continue;
            }
            if !inside {
                continue;
            }
            let kib = |key: &str| -> Option<u64> {
                line.strip_prefix(key)?
                    .trim()
                    .strip_suffix("kB")?
                    .trim()
                    .parse()
                    .ok()
            };
            if let Some(k) = kib("Rss:") {
                rss += k;
            } else if let Some(k) = kib("AnonHugePages:") {
                huge += k;
            }
        }
        (rss > 0).then(|| 100.0 * huge as f64 / rss as f64)
    }
}

impl Deref for LineBuf {
    type Target = [Line];
    fn deref(&self) -> &[Line] {
        // SAFETY: `lines` points to `len` lines inside our mapping, which lives as long as
        // `self` (`new` checked that their size, `len * LINE`, and the mapping's are at most
        // `isize::MAX`); anonymous mappings start zeroed, and all-zero bytes are a valid `Line`.
        unsafe { std::slice::from_raw_parts(self.lines, self.len) }
    }
}

impl DerefMut for LineBuf {
    fn deref_mut(&mut self) -> &mut [Line] {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference to the lines.
        unsafe { std::slice::from_raw_parts_mut(self.lines, self.len) }
    }
}

impl Drop for LineBuf {
    fn drop(&mut self) {
        // SAFETY: `map` and `map_len` are exactly what `mmap` returned and was asked for, and
        // no reference into the mapping outlives `self`.
        unsafe {
            libc::munmap(self.map, self.map_len);
        }
    }
}
