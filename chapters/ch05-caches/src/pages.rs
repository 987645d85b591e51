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

pub use inputs::{HUGE_PAGE, LINE, Pages};

/// One cache line: eight `u64`, aligned to a line boundary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct Line {
    /// The line's contents.
    pub words: [u64; 8],
}

/// Both kinds of pages, in the order the chapter shows them.
pub const ALL_PAGES: [Pages; 2] = [Pages::Base, Pages::Huge];

/// The function name both harnesses use for benchmarks over these pages.
pub fn pages_name(pages: Pages) -> &'static str {
    match pages {
        Pages::Base => "base_pages",
        Pages::Huge => "huge_pages",
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
/// and advised as [`Pages`] says before any of it is touched: an [`inputs::Mapped`] buffer seen
/// as lines.
pub struct LineBuf {
    /// The mapping; the first line is its start, a huge-page boundary.
    map: inputs::Mapped,
    /// Number of lines.
    len: usize,
}

impl LineBuf {
    /// Maps `len` lines (at least one) of zeroes and advises the kernel as `pages` says.
    ///
    /// # Panics
    /// When `len` is zero, when the lines' size overflows or does not fit the address space,
    /// or when the mapping fails (out of address space or memory).
    pub fn new(len: usize, pages: Pages) -> LineBuf {
        assert!(len > 0, "a buffer of no lines");
        let bytes = len.checked_mul(LINE).expect("buffer size overflows");
        LineBuf {
            map: inputs::Mapped::new(bytes, pages),
            len,
        }
    }

    /// Address of the first line.
    pub fn as_ptr(&self) -> *const Line {
        self.map.as_ptr().cast()
    }

    /// The percentage of the buffer's resident memory that the kernel backs with huge pages,
    /// from `/proc/self/smaps` (`AnonHugePages` over `Rss` of the mappings that overlap the
    /// buffer); `None` where that file cannot be read or nothing is resident.
    pub fn huge_share(&self) -> Option<f64> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let start = self.as_ptr() as usize;
        let (lo, hi) = (start, start + self.len * LINE);
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
        // SAFETY: the `len` lines, `len * LINE` bytes, are the whole of `map`, which
        // lives as long as `self`; its start is a huge-page boundary, so aligned for `Line`;
        // anonymous mappings start zeroed, and all-zero bytes are a valid `Line`.
        unsafe { std::slice::from_raw_parts(self.as_ptr(), self.len) }
    }
}

impl DerefMut for LineBuf {
    fn deref_mut(&mut self) -> &mut [Line] {
        let lines = self.map.as_mut_ptr().cast::<Line>();
        // SAFETY: as in `deref`; `&mut self` makes this the only reference to the lines.
        unsafe { std::slice::from_raw_parts_mut(lines, self.len) }
    }
}
