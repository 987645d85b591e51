//! The read-bandwidth reference: a pass over a buffer that does as little as possible with
//! what it loads (a bitwise OR, one cycle, into four independent accumulators) with the widest
//! loads the CPU has. No sum can read faster than this pass on the same buffer; the distance
//! between the two is what the sum's own work costs.

use crate::isa::Isa;

/// The OR of the bit patterns of every element, with the widest loads this CPU runs.
pub fn read_best(x: &[f32]) -> u32 {
    match Isa::best() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `best` reported AVX-512F and AVX-512BW.
        Some(Isa::Avx512) => unsafe { x86::read_avx512(x) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `best` reported AVX2 and FMA.
        Some(Isa::Avx2) => unsafe { x86::read_avx2(x) },
        _ => read_portable(x),
    }
}

/// The portable pass: integer OR is associative, so the compiler vectorises this fold (with
/// SSE2 on the baseline target).
#[inline(never)]
pub fn read_portable(x: &[f32]) -> u32 {
    x.iter().fold(0, |a, v| a | v.to_bits())
}

/// The `std::arch` passes.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::*;

    // ANCHOR: read_avx512
    /// Four 64-byte loads per iteration, ORed into four accumulators.
    ///
    /// # Safety
    /// The CPU must support AVX-512F.
    #[target_feature(enable = "avx512f")]
    #[inline(never)]
    pub unsafe fn read_avx512(x: &[f32]) -> u32 {
        const W: usize = 16;
        let mut acc = [_mm512_setzero_si512(); 4];
        let mut blocks = x.chunks_exact(4 * W);
        for b in &mut blocks {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: `b` holds 4 * W floats; the W at k * W are inside it.
                let v = unsafe { _mm512_loadu_si512(b.as_ptr().add(k * W).cast()) };
                *a = _mm512_or_si512(*a, v);
            }
        }
        let v = acc
            .iter()
            .fold(_mm512_setzero_si512(), |s, &a| _mm512_or_si512(s, a));
        let r = _mm512_reduce_or_epi32(v) as u32;
        r | super::read_portable(blocks.remainder())
    }
    // ANCHOR_END: read_avx512

    /// Four 32-byte loads per iteration, ORed into four accumulators.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub unsafe fn read_avx2(x: &[f32]) -> u32 {
        const W: usize = 8;
        let mut acc = [_mm256_setzero_si256(); 4];
        let mut blocks = x.chunks_exact(4 * W);
        for b in &mut blocks {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: `b` holds 4 * W floats; the W at k * W are inside it.
                let v = unsafe { _mm256_loadu_si256(b.as_ptr().add(k * W).cast()) };
                *a = _mm256_or_si256(*a, v);
            }
        }
        let v = acc
            .iter()
            .fold(_mm256_setzero_si256(), |s, &a| _mm256_or_si256(s, a));
        let mut lanes = [0u32; W];
        // SAFETY: `lanes` is W u32 of writable memory.
        unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), v) };
        lanes.iter().fold(0, |a, &l| a | l) | super::read_portable(blocks.remainder())
    }
}
