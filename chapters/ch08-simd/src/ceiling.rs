//! Ceilings for the dot product and the filter, measured rather than looked up: how many
//! fused multiply-adds the core completes per unit of time when nothing else limits it, and
//! how fast it copies a buffer that stays in L1. A dot product in L1 can go no faster than its
//! multiply-adds and its loads allow (the loads' limit is the read of [`crate::stream`] over
//! the same bytes); a filter that reads and writes every element no faster than a copy.

use crate::isa::Isa;

/// Independent vector accumulators of [`fma_peak`]: more than the latency of a fused
/// multiply-add (four or five cycles) times the number the core starts per cycle (two on
/// current x86-64 cores), so that the loop is bound by throughput alone.
pub const FMA_CHAINS: usize = 12;

// ANCHOR: fma_peak
/// `iters` rounds of [`FMA_CHAINS`] independent fused multiply-adds `acc = acc * m + a`, on
/// vectors of the width of `isa` (AVX2 or AVX-512), with no load or store in the loop; returns
/// the sum of the accumulators' lanes, so that none of the work is dead. `m` and `a` come from
/// the caller, so nothing can be computed ahead.
///
/// # Panics
/// When `isa` is not AVX2 or AVX-512, or the CPU does not run it.
pub fn fma_peak(isa: Isa, iters: usize, m: f32, a: f32) -> f32 {
    isa.require();
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: `require` returned, so the CPU supports the features each function enables.
        unsafe {
            match isa {
                Isa::Avx2 => x86::fma_avx2(iters, m, a),
                Isa::Avx512 => x86::fma_avx512(iters, m, a),
                Isa::Sse2 => panic!("SSE2 has no fused multiply-add"),
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (iters, m, a);
        unreachable!("no x86 level is available on this target")
    }
}
// ANCHOR_END: fma_peak

/// The model of [`fma_peak`]: the value of one lane, in the same order of roundings, times the
/// lanes and chains.
pub fn fma_peak_model(lanes: usize, iters: usize, m: f32, a: f32) -> f32 {
    let mut acc = 0.0f32;
    for _ in 0..iters {
        acc = acc.mul_add(m, a);
    }
    let mut s = 0.0f32;
    for _ in 0..lanes * FMA_CHAINS {
        s += acc;
    }
    s
}

/// Copies `src` to the front of `dst` with the standard library's copy (glibc's `memcpy`, which
/// picks the widest loads and stores the CPU has).
///
/// # Panics
/// When `dst` is shorter than `src`.
#[inline(never)]
pub fn copy(src: &[u32], dst: &mut [u32]) {
    dst[..src.len()].copy_from_slice(src);
}

/// The `std::arch` loops.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::*;

    use super::FMA_CHAINS;

    /// [`super::fma_peak`] on 256-bit vectors.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub unsafe fn fma_avx2(iters: usize, m: f32, a: f32) -> f32 {
        let (mv, av) = (_mm256_set1_ps(m), _mm256_set1_ps(a));
        let mut acc = [_mm256_setzero_ps(); FMA_CHAINS];
        for _ in 0..iters {
            for x in &mut acc {
                *x = _mm256_fmadd_ps(*x, mv, av);
            }
        }
        let mut lanes = [0.0f32; 8];
        let mut s = 0.0f32;
        for x in acc {
            // SAFETY: `lanes` is eight writable f32.
            unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), x) };
            for l in lanes {
                s += l;
            }
        }
        s
    }

    /// [`super::fma_peak`] on 512-bit vectors.
    ///
    /// # Safety
    /// The CPU must support AVX-512F.
    #[target_feature(enable = "avx512f")]
    #[inline(never)]
    pub unsafe fn fma_avx512(iters: usize, m: f32, a: f32) -> f32 {
        let (mv, av) = (_mm512_set1_ps(m), _mm512_set1_ps(a));
        let mut acc = [_mm512_setzero_ps(); FMA_CHAINS];
        for _ in 0..iters {
            for x in &mut acc {
                *x = _mm512_fmadd_ps(*x, mv, av);
            }
        }
        let mut lanes = [0.0f32; 16];
        let mut s = 0.0f32;
        for x in acc {
            // SAFETY: `lanes` is sixteen writable f32.
            unsafe { _mm512_storeu_ps(lanes.as_mut_ptr(), x) };
            for l in lanes {
                s += l;
            }
        }
        s
    }
}
