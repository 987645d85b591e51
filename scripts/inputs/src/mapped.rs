//! Page-aligned buffers mapped straight from the kernel, with the page size chosen: what the
//! memory chapters (pools, memory mapping, NUMA placement) build their working sets on.

/// The base page size this crate assumes (4 KiB on x86-64 and most AArch64 kernels; the
/// buffer's start is aligned to [`HUGE_PAGE`] anyway, which is a multiple of it).
pub const PAGE: usize = 4096;

/// The size of a transparent huge page on x86-64 (and of a 4 KiB-granule AArch64 kernel's).
pub const HUGE_PAGE: usize = 2 << 20;

/// Which pages back a [`Mapped`] buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pages {
    /// `madvise(MADV_NOHUGEPAGE)`: base pages only.
    Base,
    /// `madvise(MADV_HUGEPAGE)`: huge pages where the kernel's policy allows and it can find
    /// them (`/sys/kernel/mm/transparent_hugepage/enabled` is `always` or `madvise`).
    Huge,
}

/// A zeroed buffer of bytes from an anonymous private mapping, starting on a huge-page
/// boundary, backed by the pages asked for where the kernel grants them. Nothing is touched
/// until it is written (first touch decides where a page lands).
pub struct Mapped {
    /// Start of the whole mapping, as `mmap` returned it.
    map: *mut u8,
    /// Length of the whole mapping.
    map_len: usize,
    /// Start of the buffer, on a huge-page boundary inside the mapping.
    start: *mut u8,
    /// Length of the buffer.
    len: usize,
}

// SAFETY: `Mapped` owns its mapping exclusively (no other pointer to it escapes except through
// `&self`/`&mut self` borrows), like a `Box<[u8]>`, so moving it to another thread is sound.
unsafe impl Send for Mapped {}
// SAFETY: shared access only reads through `&[u8]`, which is `Sync`.
unsafe impl Sync for Mapped {}

impl Mapped {
    /// `len` zeroed bytes backed by `pages`.
    ///
    /// # Panics
    /// When `len` is zero, when `len` plus the alignment slack overflows or exceeds
    /// `isize::MAX`, or when the kernel refuses the mapping.
    pub fn new(len: usize, pages: Pages) -> Mapped {
        assert!(len > 0, "a mapping of zero bytes");
        let map_len = len
            .checked_add(HUGE_PAGE)
            .filter(|&n| n <= isize::MAX as usize)
            .unwrap_or_else(|| panic!("a mapping of {len} bytes does not fit the address space"));
        // SAFETY: an anonymous private mapping of `map_len` bytes at an address the kernel
        // chooses; no file descriptor or existing memory is involved.
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
        let map = map.cast::<u8>();
        let offset = (map as usize).next_multiple_of(HUGE_PAGE) - map as usize;
        // SAFETY: `offset < HUGE_PAGE` and `offset + len <= map_len`, so the start and the
        // whole buffer lie inside the mapping.
        let start = unsafe { map.add(offset) };
        // ANCHOR: advise
        let advice = match pages {
            Pages::Base => libc::MADV_NOHUGEPAGE,
            Pages::Huge => libc::MADV_HUGEPAGE,
        };
        // SAFETY: the range starts on a page (indeed a huge-page) boundary inside our own
        // mapping, and `len` rounded up to a page stays inside it. The advice changes only how
        // the kernel backs it, not its contents. A kernel without transparent huge pages
        // refuses it with EINVAL, and the buffer works without it, so the result is
        // deliberately ignored: a caller that needs to know reads `/proc/self/smaps`.
        let _ = unsafe { libc::madvise(start.cast(), len.next_multiple_of(PAGE), advice) };
        // ANCHOR_END: advise
        Mapped {
            map,
            map_len,
            start,
            len,
        }
    }

    /// The buffer's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty (never: [`Mapped::new`] refuses zero bytes).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl std::ops::Deref for Mapped {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: `start..start + len` lies inside the live mapping, which anonymous mapping
        // zero-fills, so every byte is initialised; the borrow of `self` keeps it alive.
        unsafe { std::slice::from_raw_parts(self.start, self.len) }
    }
}

impl std::ops::DerefMut for Mapped {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `deref`, and `&mut self` makes the borrow unique.
        unsafe { std::slice::from_raw_parts_mut(self.start, self.len) }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        // SAFETY: `map` and `map_len` are exactly what `mmap` returned and was asked for, and
        // no borrow of the buffer outlives `self`.
        unsafe {
            libc::munmap(self.map.cast(), self.map_len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_is_zeroed_writable_and_starts_on_a_huge_page() {
        for pages in [Pages::Base, Pages::Huge] {
            let mut m = Mapped::new(3 * PAGE + 5, pages);
            assert_eq!(m.len(), 3 * PAGE + 5);
            assert!(m.iter().all(|&b| b == 0));
            assert_eq!(m.as_ptr() as usize % HUGE_PAGE, 0);
            m[3 * PAGE + 4] = 7;
            assert_eq!(m[3 * PAGE + 4], 7);
        }
    }

    #[test]
    #[should_panic(expected = "does not fit the address space")]
    fn a_length_that_overflows_with_the_slack_is_refused() {
        Mapped::new(usize::MAX - 16, Pages::Base);
    }

    #[test]
    #[should_panic(expected = "zero bytes")]
    fn zero_bytes_are_refused() {
        Mapped::new(0, Pages::Huge);
    }
}
