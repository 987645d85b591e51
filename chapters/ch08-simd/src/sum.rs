//! The sum of an `f32` slice, every way this chapter writes it.
//!
//! Floating-point addition is not associative: `(a + b) + c` and `a + (b + c)` can round
//! differently. The compiler must therefore add the elements of the scalar loop in the order the
//! source gives, one after the other, and a chain of dependent additions runs at the latency of
//! one addition per element. The vectorised versions change the order on purpose: they keep
//! several partial sums and add them at the end, which gives a (slightly) different result.
//! That is the programmer's decision, and the compiler never makes it for `f32` on its own.

// ANCHOR: scalar
/// Adds the elements in order with one accumulator: one dependent addition per element.
#[inline(never)]
pub fn sum_scalar(x: &[f32]) -> f32 {
    let mut s = 0.0;
    for &v in x {
        s += v;
    }
    s
}
// ANCHOR_END: scalar

/// The standard library's `Iterator::sum`, which folds in order just like [`sum_scalar`].
#[inline(never)]
pub fn sum_std(x: &[f32]) -> f32 {
    x.iter().sum()
}

// ANCHOR: lanes
/// Adds the elements into `L` independent partial sums (element `i` into sum `i % L`), then adds
/// the partial sums. Nothing here names a vector: the `L` lanes are plain `f32`, and the
/// compiler is free to keep them in vector registers because each lane is its own chain.
#[inline(always)]
pub fn sum_lanes<const L: usize>(x: &[f32]) -> f32 {
    let mut acc = [0.0f32; L];
    let mut chunks = x.chunks_exact(L);
    for c in &mut chunks {
        for i in 0..L {
            acc[i] += c[i];
        }
    }
    let mut s = acc.iter().sum::<f32>();
    for &v in chunks.remainder() {
        s += v;
    }
    s
}
// ANCHOR_END: lanes

/// Lanes of the auto-vectorised sum: 32 `f32`, eight SSE registers, four AVX2 registers.
pub const AUTO_LANES: usize = 32;

// ANCHOR: auto
/// The sum shaped for the vectoriser: [`sum_lanes`] with [`AUTO_LANES`] partial sums, compiled
/// for the baseline target (SSE2).
#[inline(never)]
pub fn sum_auto(x: &[f32]) -> f32 {
    sum_lanes::<AUTO_LANES>(x)
}
// ANCHOR_END: auto

/// [`sum_auto`] compiled a second time with AVX2 enabled (multiversioning: the same source, a
/// second copy of the machine code), or `None` when the CPU lacks AVX2.
pub fn sum_auto_avx2(x: &[f32]) -> Option<f32> {
    if !crate::isa::Isa::Avx2.available() {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: the CPU supports AVX2 and FMA, checked just above.
        Some(unsafe { x86::sum_auto_avx2(x) })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        unreachable!("no x86 level is available on this target")
    }
}

// ANCHOR: dispatch_hand
/// [`sum_auto`] at the widest level this CPU runs, dispatched by hand: the same source compiled
/// for AVX-512, for AVX2 and FMA, and for the baseline, and a check of the CPU before every
/// call (`is_x86_feature_detected!` caches what `cpuid` said, so the check is a load and a
/// predicted branch).
pub fn sum_auto_dispatch(x: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        use crate::isa::Isa;
        if Isa::Avx512.available() {
            // SAFETY: the CPU supports AVX-512 F and BW, checked just above.
            return unsafe { x86::sum_auto_avx512(x) };
        }
        if Isa::Avx2.available() {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            return unsafe { x86::sum_auto_avx2(x) };
        }
    }
    sum_auto(x)
}
// ANCHOR_END: dispatch_hand

// ANCHOR: dispatch_multiversion
/// Copies of [`sum_lanes`] compiled and dispatched by the `multiversion` crate: the attribute
/// writes the copies, and a dispatcher that asks the CPU once and keeps the answer as a
/// function pointer. Unlike the hand-written dispatch, the crate builds its AVX-512 copy with
/// Ice Lake's whole set of AVX-512 extensions and picks it only on a CPU that has them all
/// (unless built with `--cfg multiversion_allow_slow_avx512`); elsewhere it picks AVX2.
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw", "x86_64+avx2+fma"))]
pub fn sum_auto_multiversion(x: &[f32]) -> f32 {
    sum_lanes::<AUTO_LANES>(x)
}
// ANCHOR_END: dispatch_multiversion

/// The intrinsics version for `isa`, with 8 vector accumulators.
///
/// # Panics
/// When the CPU does not support `isa` (see [`Isa::available`](crate::isa::Isa::available)).
pub fn sum_simd(isa: crate::isa::Isa, x: &[f32]) -> f32 {
    sum_simd_accs::<8>(isa, x)
}

/// The intrinsics version for `isa` with `N` vector accumulators.
///
/// # Panics
/// When the CPU does not support `isa`, or `N` is zero.
pub fn sum_simd_accs<const N: usize>(isa: crate::isa::Isa, x: &[f32]) -> f32 {
    isa.require();
    #[cfg(target_arch = "x86_64")]
    {
        use crate::isa::Isa;
        // SAFETY: `require` returned, so the CPU supports the features each function enables.
        unsafe {
            match isa {
                Isa::Sse2 => x86::sum_sse2::<N>(x),
                Isa::Avx2 => x86::sum_avx2::<N>(x),
                Isa::Avx512 => x86::sum_avx512::<N>(x),
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        unreachable!("no x86 level is available on this target")
    }
}

// ANCHOR: best
/// The fastest sum this CPU runs: the widest intrinsics version it supports, or the
/// auto-vectorised one where there is none (any target but `x86_64`).
pub fn sum_best(x: &[f32]) -> f32 {
    match crate::isa::Isa::best() {
        Some(isa) => sum_simd(isa, x),
        None => sum_auto(x),
    }
}
// ANCHOR_END: best

/// The `std::arch` versions. Each is generic over its number of vector accumulators `N`.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::*;

    /// [`super::sum_lanes`] compiled with AVX2: the compiler's vectorisation, wider.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub unsafe fn sum_auto_avx2(x: &[f32]) -> f32 {
        super::sum_lanes::<{ super::AUTO_LANES }>(x)
    }

    /// [`super::sum_lanes`] compiled with AVX-512.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F and BW.
    #[target_feature(enable = "avx512f,avx512bw")]
    #[inline(never)]
    pub unsafe fn sum_auto_avx512(x: &[f32]) -> f32 {
        super::sum_lanes::<{ super::AUTO_LANES }>(x)
    }

    /// Adds the four lanes of `v`.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn hsum128(v: __m128) -> f32 {
        let hi = _mm_movehl_ps(v, v);
        let s = _mm_add_ps(v, hi);
        let lane1 = _mm_shuffle_ps::<0b01>(s, s);
        _mm_cvtss_f32(_mm_add_ss(s, lane1))
    }

    /// SSE2: `N` accumulators of four `f32`.
    ///
    /// # Safety
    /// None beyond SSE2, which every `x86_64` CPU has; `unsafe` only for symmetry with the
    /// wider levels.
    #[target_feature(enable = "sse2")]
    #[inline(never)]
    pub unsafe fn sum_sse2<const N: usize>(x: &[f32]) -> f32 {
        const W: usize = 4;
        let mut acc = [_mm_setzero_ps(); N];
        let mut blocks = x.chunks_exact(N * W);
        for b in &mut blocks {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: `b` holds N * W floats, so the W floats at k * W are inside it;
                // `loadu` accepts any alignment.
                let v = unsafe { _mm_loadu_ps(b.as_ptr().add(k * W)) };
                *a = _mm_add_ps(*a, v);
            }
        }
        let mut rest = blocks.remainder().chunks_exact(W);
        for c in &mut rest {
            // SAFETY: `c` holds exactly W floats.
            acc[0] = _mm_add_ps(acc[0], unsafe { _mm_loadu_ps(c.as_ptr()) });
        }
        let v = acc.iter().fold(_mm_setzero_ps(), |s, &a| _mm_add_ps(s, a));
        let mut s = hsum128(v);
        for &t in rest.remainder() {
            s += t;
        }
        s
    }

    // ANCHOR: avx2
    /// AVX2: `N` accumulators of eight `f32`. Each iteration loads `N` vectors and adds each
    /// into its own accumulator, so `N` additions are in flight at once.
    ///
    /// # Safety
    /// The CPU must support AVX2 (and FMA, which [`crate::isa::Isa::Avx2`] includes).
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub unsafe fn sum_avx2<const N: usize>(x: &[f32]) -> f32 {
        const W: usize = 8;
        let mut acc = [_mm256_setzero_ps(); N];
        let mut blocks = x.chunks_exact(N * W);
        for b in &mut blocks {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: `b` holds N * W floats, so the W floats at k * W are inside it;
                // `loadu` accepts any alignment.
                let v = unsafe { _mm256_loadu_ps(b.as_ptr().add(k * W)) };
                *a = _mm256_add_ps(*a, v);
            }
        }
        let mut rest = blocks.remainder().chunks_exact(W);
        for c in &mut rest {
            // SAFETY: `c` holds exactly W floats.
            acc[0] = _mm256_add_ps(acc[0], unsafe { _mm256_loadu_ps(c.as_ptr()) });
        }
        let v = acc
            .iter()
            .fold(_mm256_setzero_ps(), |s, &a| _mm256_add_ps(s, a));
        let half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
        let mut s = hsum128(half);
        for &t in rest.remainder() {
            s += t;
        }
        s
    }
    // ANCHOR_END: avx2

    // ANCHOR: avx512
    /// AVX-512: `N` accumulators of sixteen `f32`; the last partial vector is read with a
    /// masked load instead of a scalar loop.
    ///
    /// # Safety
    /// The CPU must support AVX-512F.
    #[target_feature(enable = "avx512f")]
    #[inline(never)]
    pub unsafe fn sum_avx512<const N: usize>(x: &[f32]) -> f32 {
        const W: usize = 16;
        let mut acc = [_mm512_setzero_ps(); N];
        let mut blocks = x.chunks_exact(N * W);
        for b in &mut blocks {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: `b` holds N * W floats, so the W floats at k * W are inside it;
                // `loadu` accepts any alignment.
                let v = unsafe { _mm512_loadu_ps(b.as_ptr().add(k * W)) };
                *a = _mm512_add_ps(*a, v);
            }
        }
        let mut rest = blocks.remainder().chunks_exact(W);
        for c in &mut rest {
            // SAFETY: `c` holds exactly W floats.
            acc[0] = _mm512_add_ps(acc[0], unsafe { _mm512_loadu_ps(c.as_ptr()) });
        }
        let tail = rest.remainder();
        let mask: __mmask16 = (1u32 << tail.len()) as u16 - 1;
        // SAFETY: the mask selects the first `tail.len()` lanes, exactly the elements of
        // `tail`; a masked load does not touch (or fault on) the lanes it leaves out.
        let last = unsafe { _mm512_maskz_loadu_ps(mask, tail.as_ptr()) };
        acc[0] = _mm512_add_ps(acc[0], last);
        let v = acc
            .iter()
            .fold(_mm512_setzero_ps(), |s, &a| _mm512_add_ps(s, a));
        _mm512_reduce_add_ps(v)
    }
    // ANCHOR_END: avx512
}
