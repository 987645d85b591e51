//! The same kernel, the same values, different addresses.
//!
//! [`Placement`] owns one page-aligned allocation holding an input and an output buffer. The
//! output starts `offset` bytes past a page boundary relative to the input, so the distance
//! between the two, modulo 4 KiB, is exactly `offset`. Nothing else changes between cases: not
//! the code, not the values, not the length. A longer environment variable, a different link
//! order or another allocation before this one move buffers by amounts like these.

use std::alloc::{Layout, alloc_zeroed, dealloc};
use std::ptr::NonNull;

const PAGE: usize = 4096;

// ANCHOR: kernel
/// Writes `src[i] * k + 1.0` to `dst[i]` for every `i`.
///
/// `inline(never)` keeps one copy of the machine code for every caller, so that the cases of
/// the experiment run the very same instructions.
#[inline(never)]
pub fn scale_into(src: &[f32], dst: &mut [f32], k: f32) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s * k + 1.0;
    }
}
// ANCHOR_END: kernel

/// An input and an output buffer of `len` `f32` each, the output placed `offset` bytes (modulo
/// 4 KiB) after the input.
pub struct Placement {
    base: NonNull<u8>,
    layout: Layout,
    len: usize,
    out_at: usize,
}

impl Placement {
    /// Allocates both buffers and fills the input with `0.0, 1.0, 2.0, ...`.
    ///
    /// # Panics
    /// If `offset` is not a multiple of 4 (the alignment of `f32`) or not below 4096, or if the
    /// allocation fails.
    pub fn new(len: usize, offset: usize) -> Placement {
        assert!(offset % 4 == 0 && offset < PAGE, "offset {offset} must be 4-aligned and below {PAGE}");
        let in_bytes = (len * 4).div_ceil(PAGE) * PAGE;
        let out_at = in_bytes + offset;
        let layout = Layout::from_size_align(out_at + len * 4, PAGE).expect("layout");
        // Safety: the layout has a non-zero size (it holds at least one page of input or
        // the offset and the output), as `alloc_zeroed` requires.
        let base = NonNull::new(unsafe { alloc_zeroed(layout) }).expect("allocation failed");
        let mut p = Placement { base, layout, len, out_at };
        for (i, x) in p.input_mut().iter_mut().enumerate() {
            *x = i as f32;
        }
        p
    }

    /// The input buffer.
    pub fn input(&self) -> &[f32] {
        // Safety: `base` is page-aligned, the allocation holds `len` f32 at offset 0, zeroed at
        // creation (a valid f32 bit pattern), and `&self` forbids concurrent mutation.
        unsafe { std::slice::from_raw_parts(self.base.as_ptr().cast::<f32>(), self.len) }
    }

    fn input_mut(&mut self) -> &mut [f32] {
        // Safety: as for `input`, and `&mut self` makes this the only reference.
        unsafe { std::slice::from_raw_parts_mut(self.base.as_ptr().cast::<f32>(), self.len) }
    }

    /// The input and output buffers together, as the kernel takes them.
    pub fn buffers(&mut self) -> (&[f32], &mut [f32]) {
        // Safety: the input occupies bytes `0..len*4` and the output `out_at..out_at+len*4`,
        // with `out_at >= len*4` rounded up to a page, so the two slices do not overlap; both
        // lie inside the allocation, are 4-aligned (`out_at` is a multiple of 4) and zeroed or
        // written as f32; `&mut self` makes these the only references.
        unsafe {
            let b = self.base.as_ptr();
            (
                std::slice::from_raw_parts(b.cast::<f32>(), self.len),
                std::slice::from_raw_parts_mut(b.add(self.out_at).cast::<f32>(), self.len),
            )
        }
    }

    /// Distance from the input to the output, in bytes, modulo 4 KiB.
    pub fn offset(&self) -> usize {
        self.out_at % PAGE
    }

    /// Runs the kernel once and returns the last output element, so the work is observable.
    pub fn run(&mut self, k: f32) -> f32 {
        let (src, dst) = self.buffers();
        scale_into(src, dst, k);
        dst.last().copied().unwrap_or(0.0)
    }
}

impl Drop for Placement {
    fn drop(&mut self) {
        // Safety: `base` came from `alloc_zeroed` with this very layout and is freed once.
        unsafe { dealloc(self.base.as_ptr(), self.layout) }
    }
}
