//! Loads that straddle a cache line or a page.
//!
//! The caches move 64-byte lines, and the load unit reads from one line per access. An
//! eight-byte load at an offset that is not a multiple of eight but stays inside one line costs
//! the same as an aligned one on current x86 cores. One that straddles two lines needs both,
//! and one that straddles two 4 KiB pages needs two address translations as well. The kernel
//! reads `u64`s at a fixed offset from a page-aligned buffer, with four independent sums so that
//! the load unit, not an addition chain, sets the pace.

/// A page of bytes, aligned to a page.
#[repr(C, align(4096))]
#[derive(Clone, Copy)]
struct Page([u8; PAGE]);

/// Bytes in a page.
pub const PAGE: usize = 4096;

pub use inputs::LINE;

const _: () = assert!(std::mem::size_of::<Page>() == PAGE);
const _: () = assert!(std::mem::align_of::<Page>() == PAGE);

/// A page-aligned buffer of seeded random bytes.
pub struct Buffer {
    pages: Vec<Page>,
}

impl Buffer {
    /// `pages` pages of bytes from `seed`.
    ///
    /// # Panics
    /// When `pages` pages take more bytes than a `usize` counts.
    pub fn new(pages: usize, seed: u64) -> Buffer {
        let len = pages
            .checked_mul(PAGE)
            .unwrap_or_else(|| panic!("{pages} pages do not fit in memory"));
        let bytes = inputs::random_bytes(len, seed);
        let pages = bytes
            .chunks_exact(PAGE)
            .map(|c| Page(c.try_into().expect("a page")))
            .collect();
        Buffer { pages }
    }

    /// The buffer's bytes; the first is page-aligned.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `Page` is `repr(C)` around a byte array, so the pages are one contiguous run of
        // initialised bytes, as many as `size_of_val` counts in the slice of pages (no
        // arithmetic of ours that could wrap), borrowed for as long as `self`.
        unsafe {
            std::slice::from_raw_parts(
                self.pages.as_ptr().cast::<u8>(),
                size_of_val(self.pages.as_slice()),
            )
        }
    }
}

// ANCHOR: sum_at
/// Wrapping sum of the `u64`s (little-endian) at `offset`, `offset + stride`, ... (`count` of
/// them), read `passes` times over.
///
/// # Panics
/// If `count` is not a multiple of four, or the last load would end past the buffer.
pub fn sum_at(bytes: &[u8], offset: usize, stride: usize, count: usize, passes: usize) -> u64 {
    assert!(
        count.is_multiple_of(4),
        "count {count} is not a multiple of four"
    );
    if count == 0 {
        return 0;
    }
    // The end of the last load, `offset + (count - 1) * stride + 8`, checked step by step:
    // wrapping arithmetic could put a far-away load back inside the buffer.
    let end = (count - 1)
        .checked_mul(stride)
        .and_then(|last| last.checked_add(offset))
        .and_then(|last| last.checked_add(8));
    assert!(
        end.is_some_and(|end| end <= bytes.len()),
        "load past the end"
    );
    let base = bytes.as_ptr();
    let load = |at: usize| {
        // SAFETY: `at + 8 <= bytes.len()` for every `at` the loop below passes (checked once
        // above, without wrapping, for the last, largest one, and every smaller `at` is a
        // partial sum of it, so neither wraps); `read_unaligned` accepts any alignment.
        u64::from_le(unsafe { base.add(at).cast::<u64>().read_unaligned() })
    };
    let mut s = [0u64; 4];
    for _ in 0..passes {
        let mut at = offset;
        for _ in 0..count / 4 {
            s[0] = s[0].wrapping_add(load(at));
            s[1] = s[1].wrapping_add(load(at + stride));
            s[2] = s[2].wrapping_add(load(at + 2 * stride));
            s[3] = s[3].wrapping_add(load(at + 3 * stride));
            at += 4 * stride;
        }
    }
    s[0].wrapping_add(s[1])
        .wrapping_add(s[2].wrapping_add(s[3]))
}
// ANCHOR_END: sum_at

/// Whether an eight-byte load at byte `offset` of an aligned buffer crosses a line boundary.
pub fn splits_line(offset: usize) -> bool {
    offset % LINE > LINE - 8
}
