//! A filter: copy the elements of a `u32` slice that are below a threshold, in order, to the
//! front of an output buffer ("compress", or stream compaction). Every version takes an output
//! at least as long as the input and returns how many elements it kept.
//!
//! Where an element lands depends on how many passed before it, so the store address of one
//! iteration depends on the comparisons of all earlier ones. The compiler's vectoriser does not
//! turn that into vector code; the intrinsics versions compare a whole vector, then move the
//! passing lanes together with a shuffle (AVX2, from a table indexed by the comparison mask)
//! or with AVX-512's `compress` instruction.

/// Panics unless `out` can hold every element of `src`.
fn check(src: &[u32], out: &[u32]) {
    assert!(
        out.len() >= src.len(),
        "the output ({}) is shorter than the input ({})",
        out.len(),
        src.len()
    );
}

// ANCHOR: scalar
/// Stores every element at the next free slot and advances the slot only when the element
/// passes: no branch on the data (chapter 7 measured why that matters at random outcomes).
///
/// # Panics
/// When `out` is shorter than `src` (as every version here).
#[inline(always)]
fn filter_body(src: &[u32], t: u32, out: &mut [u32]) -> usize {
    check(src, out);
    let mut n = 0;
    for &x in src {
        out[n] = x;
        n += usize::from(x < t);
    }
    n
}

/// The scalar filter, compiled for the baseline target.
#[inline(never)]
pub fn filter_scalar(src: &[u32], t: u32, out: &mut [u32]) -> usize {
    filter_body(src, t, out)
}
// ANCHOR_END: scalar

/// The same source compiled with AVX2 enabled, to see whether a wider instruction set lets the
/// vectoriser in; `None` when the CPU lacks AVX2.
pub fn filter_scalar_avx2(src: &[u32], t: u32, out: &mut [u32]) -> Option<usize> {
    if !crate::isa::Isa::Avx2.available() {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: the CPU supports AVX2 and FMA, checked just above.
        Some(unsafe { x86::filter_body_avx2(src, t, out) })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        unreachable!("no x86 level is available on this target")
    }
}

/// The intrinsics version for `isa`.
///
/// # Panics
/// When the CPU does not support `isa`, or `out` is shorter than `src`.
pub fn filter_simd(isa: crate::isa::Isa, src: &[u32], t: u32, out: &mut [u32]) -> usize {
    check(src, out);
    isa.require();
    #[cfg(target_arch = "x86_64")]
    {
        use crate::isa::Isa;
        // SAFETY: `require` returned, so the CPU supports the features each function enables;
        // `out` is at least as long as `src`, checked above.
        unsafe {
            match isa {
                Isa::Sse2 => x86::filter_sse2(src, t, out),
                Isa::Avx2 => x86::filter_avx2(src, t, out),
                Isa::Avx512 => x86::filter_avx512(src, t, out),
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        unreachable!("no x86 level is available on this target")
    }
}

/// For each 4-bit mask, the indices of its set bits, in order (the rest repeat index 0).
const LANES4: [[u8; 4]; 16] = {
    let mut t = [[0u8; 4]; 16];
    let mut m = 0;
    while m < 16 {
        let mut k = 0;
        let mut j = 0;
        while j < 4 {
            if m & (1 << j) != 0 {
                t[m][k] = j as u8;
                k += 1;
            }
            j += 1;
        }
        m += 1;
    }
    t
};

/// For each 8-bit mask, the lanes of its set bits, in order: the index vector of AVX2's
/// `vpermd` that packs the passing lanes to the front.
const LANES8: [[u32; 8]; 256] = {
    let mut t = [[0u32; 8]; 256];
    let mut m = 0;
    while m < 256 {
        let mut k = 0;
        let mut j = 0;
        while j < 8 {
            if m & (1 << j) != 0 {
                t[m][k] = j as u32;
                k += 1;
            }
            j += 1;
        }
        m += 1;
    }
    t
};

/// The `std::arch` versions.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::*;

    /// The loop of [`super::filter_scalar`] compiled with AVX2.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub unsafe fn filter_body_avx2(src: &[u32], t: u32, out: &mut [u32]) -> usize {
        super::filter_body(src, t, out)
    }

    /// SSE2 has no unsigned 32-bit compare: flipping the top bit of both sides turns the
    /// unsigned order into the signed one.
    const FLIP: i32 = i32::MIN;

    /// SSE2: one vector compare per four elements, then the passing lanes are copied by
    /// index from a 16-entry table (SSE2 has no variable shuffle).
    ///
    /// # Safety
    /// `out` must be at least as long as `src`.
    #[target_feature(enable = "sse2")]
    #[inline(never)]
    pub unsafe fn filter_sse2(src: &[u32], t: u32, out: &mut [u32]) -> usize {
        let flip = _mm_set1_epi32(FLIP);
        let tv = _mm_set1_epi32(t as i32 ^ FLIP);
        let mut n = 0;
        let mut chunks = src.chunks_exact(4);
        for c in &mut chunks {
            // SAFETY: `c` holds four u32.
            let v = unsafe { _mm_loadu_si128(c.as_ptr().cast()) };
            let lt = _mm_cmplt_epi32(_mm_xor_si128(v, flip), tv);
            let m = _mm_movemask_ps(_mm_castsi128_ps(lt)) as usize;
            let idx = super::LANES4[m];
            // Four stores whatever the mask; the slots past the passing ones are overwritten
            // later. n <= (elements before c), so n + 4 <= src.len() <= out.len().
            for (k, &j) in idx.iter().enumerate() {
                out[n + k] = c[usize::from(j)];
            }
            n += m.count_ones() as usize;
        }
        for &x in chunks.remainder() {
            out[n] = x;
            n += usize::from(x < t);
        }
        n
    }

    // ANCHOR: avx2
    /// AVX2: compare eight lanes, turn the result into an 8-bit mask, look up the permutation
    /// that packs the passing lanes to the front, apply it with `vpermd`, store all eight lanes
    /// and advance by the number that passed.
    ///
    /// # Safety
    /// The CPU must support AVX2; `out` must be at least as long as `src`.
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub unsafe fn filter_avx2(src: &[u32], t: u32, out: &mut [u32]) -> usize {
        let flip = _mm256_set1_epi32(FLIP);
        let tv = _mm256_set1_epi32(t as i32 ^ FLIP);
        let mut n = 0;
        let mut chunks = src.chunks_exact(8);
        for c in &mut chunks {
            // SAFETY: `c` holds eight u32.
            let v = unsafe { _mm256_loadu_si256(c.as_ptr().cast()) };
            // a < t  <=>  t > a, on the sign-flipped values.
            let lt = _mm256_cmpgt_epi32(tv, _mm256_xor_si256(v, flip));
            let m = _mm256_movemask_ps(_mm256_castsi256_ps(lt)) as usize;
            // SAFETY: LANES8[m] is eight u32.
            let perm = unsafe { _mm256_loadu_si256(super::LANES8[m].as_ptr().cast()) };
            let packed = _mm256_permutevar8x32_epi32(v, perm);
            // SAFETY: n is at most the number of elements before `c`, so n + 8 <= src.len()
            // <= out.len(): the eight lanes stored are inside `out`.
            unsafe { _mm256_storeu_si256(out.as_mut_ptr().add(n).cast(), packed) };
            n += m.count_ones() as usize;
        }
        for &x in chunks.remainder() {
            out[n] = x;
            n += usize::from(x < t);
        }
        n
    }
    // ANCHOR_END: avx2

    // ANCHOR: avx512
    /// AVX-512: an unsigned compare straight into a mask register, and `vpcompressd`, which
    /// packs the lanes the mask selects: the table of the AVX2 version is one instruction.
    ///
    /// # Safety
    /// The CPU must support AVX-512F; `out` must be at least as long as `src`.
    #[target_feature(enable = "avx512f")]
    #[inline(never)]
    pub unsafe fn filter_avx512(src: &[u32], t: u32, out: &mut [u32]) -> usize {
        let tv = _mm512_set1_epi32(t as i32);
        let mut n = 0;
        let mut chunks = src.chunks_exact(16);
        for c in &mut chunks {
            // SAFETY: `c` holds sixteen u32.
            let v = unsafe { _mm512_loadu_si512(c.as_ptr().cast()) };
            let m = _mm512_cmplt_epu32_mask(v, tv);
            let packed = _mm512_maskz_compress_epi32(m, v);
            // SAFETY: n is at most the number of elements before `c`, so n + 16 <=
            // src.len() <= out.len().
            unsafe { _mm512_storeu_si512(out.as_mut_ptr().add(n).cast(), packed) };
            n += m.count_ones() as usize;
        }
        for &x in chunks.remainder() {
            out[n] = x;
            n += usize::from(x < t);
        }
        n
    }
    // ANCHOR_END: avx512
}
