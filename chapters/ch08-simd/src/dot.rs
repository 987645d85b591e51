//! The dot product of two `f32` slices. Like the sum, the scalar loop is one chain of dependent
//! additions (a multiply feeds each); the vector versions keep partial sums and, from AVX2 on,
//! use fused multiply-add, which rounds once instead of twice.

/// Panics unless both slices have the same length.
fn check(a: &[f32], b: &[f32]) {
    assert_eq!(
        a.len(),
        b.len(),
        "a dot product of slices of different lengths"
    );
}

// ANCHOR: scalar
/// One accumulator, in order.
///
/// # Panics
/// When the slices differ in length (as every version here).
#[inline(never)]
pub fn dot_scalar(a: &[f32], b: &[f32]) -> f32 {
    check(a, b);
    let mut s = 0.0;
    for (&x, &y) in a.iter().zip(b) {
        s += x * y;
    }
    s
}
// ANCHOR_END: scalar

/// The iterator spelling: `zip`, `map`, `sum`; the same order as [`dot_scalar`].
#[inline(never)]
pub fn dot_std(a: &[f32], b: &[f32]) -> f32 {
    check(a, b);
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Lanes of the auto-vectorised dot product.
pub const AUTO_LANES: usize = 32;

/// Partial sums in [`AUTO_LANES`] plain `f32` lanes, for the vectoriser.
#[inline(never)]
pub fn dot_auto(a: &[f32], b: &[f32]) -> f32 {
    check(a, b);
    const L: usize = AUTO_LANES;
    let mut acc = [0.0f32; L];
    let (ca, cb) = (a.chunks_exact(L), b.chunks_exact(L));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..L {
            acc[i] += x[i] * y[i];
        }
    }
    let mut s = acc.iter().sum::<f32>();
    for (&x, &y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// The intrinsics version for `isa`, with 8 vector accumulators.
///
/// # Panics
/// When the CPU does not support `isa`, or the slices differ in length.
pub fn dot_simd(isa: crate::isa::Isa, a: &[f32], b: &[f32]) -> f32 {
    check(a, b);
    isa.require();
    #[cfg(target_arch = "x86_64")]
    {
        use crate::isa::Isa;
        // SAFETY: `require` returned, so the CPU supports the features each function enables;
        // the slices have the same length, checked above.
        unsafe {
            match isa {
                Isa::Sse2 => x86::dot_sse2(a, b),
                Isa::Avx2 => x86::dot_avx2(a, b),
                Isa::Avx512 => x86::dot_avx512(a, b),
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        unreachable!("no x86 level is available on this target")
    }
}

/// The `std::arch` versions, each with eight vector accumulators.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::*;

    const N: usize = 8;

    /// SSE2: multiply, then add (no FMA at this level).
    ///
    /// # Safety
    /// `a` and `b` must have the same length.
    #[target_feature(enable = "sse2")]
    #[inline(never)]
    pub unsafe fn dot_sse2(a: &[f32], b: &[f32]) -> f32 {
        const W: usize = 4;
        let len = a.len();
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc = [_mm_setzero_ps(); N];
        let mut i = 0;
        while i + N * W <= len {
            for (k, s) in acc.iter_mut().enumerate() {
                // SAFETY: i + N * W <= len for both slices, so lanes i + k * W .. + W exist.
                let (x, y) = unsafe {
                    (
                        _mm_loadu_ps(pa.add(i + k * W)),
                        _mm_loadu_ps(pb.add(i + k * W)),
                    )
                };
                *s = _mm_add_ps(*s, _mm_mul_ps(x, y));
            }
            i += N * W;
        }
        let v = acc.iter().fold(_mm_setzero_ps(), |s, &x| _mm_add_ps(s, x));
        let mut lanes = [0.0f32; W];
        // SAFETY: `lanes` is W floats of writable memory.
        unsafe { _mm_storeu_ps(lanes.as_mut_ptr(), v) };
        let mut s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        while i < len {
            s += a[i] * b[i];
            i += 1;
        }
        s
    }

    // ANCHOR: avx2
    /// AVX2 with FMA: `acc = x * y + acc` in one instruction per vector.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA; `a` and `b` must have the same length.
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub unsafe fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
        const W: usize = 8;
        let len = a.len();
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc = [_mm256_setzero_ps(); N];
        let mut i = 0;
        while i + N * W <= len {
            for (k, s) in acc.iter_mut().enumerate() {
                // SAFETY: i + N * W <= len for both slices, so lanes i + k * W .. + W exist.
                let (x, y) = unsafe {
                    (
                        _mm256_loadu_ps(pa.add(i + k * W)),
                        _mm256_loadu_ps(pb.add(i + k * W)),
                    )
                };
                *s = _mm256_fmadd_ps(x, y, *s);
            }
            i += N * W;
        }
        let v = acc
            .iter()
            .fold(_mm256_setzero_ps(), |s, &x| _mm256_add_ps(s, x));
        let mut lanes = [0.0f32; W];
        // SAFETY: `lanes` is W floats of writable memory.
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), v) };
        let mut s = lanes.iter().sum::<f32>();
        while i < len {
            s += a[i] * b[i];
            i += 1;
        }
        s
    }
    // ANCHOR_END: avx2

    /// AVX-512 with FMA; the tail through masked loads.
    ///
    /// # Safety
    /// The CPU must support AVX-512F; `a` and `b` must have the same length.
    #[target_feature(enable = "avx512f")]
    #[inline(never)]
    pub unsafe fn dot_avx512(a: &[f32], b: &[f32]) -> f32 {
        const W: usize = 16;
        let len = a.len();
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc = [_mm512_setzero_ps(); N];
        let mut i = 0;
        while i + N * W <= len {
            for (k, s) in acc.iter_mut().enumerate() {
                // SAFETY: i + N * W <= len for both slices, so lanes i + k * W .. + W exist.
                let (x, y) = unsafe {
                    (
                        _mm512_loadu_ps(pa.add(i + k * W)),
                        _mm512_loadu_ps(pb.add(i + k * W)),
                    )
                };
                *s = _mm512_fmadd_ps(x, y, *s);
            }
            i += N * W;
        }
        while i < len {
            let n = (len - i).min(W);
            let mask: __mmask16 = (1u32 << n).wrapping_sub(1) as u16;
            // SAFETY: the mask selects lanes i .. i + n, all below len; masked-out lanes are
            // neither read nor able to fault.
            let (x, y) = unsafe {
                (
                    _mm512_maskz_loadu_ps(mask, pa.add(i)),
                    _mm512_maskz_loadu_ps(mask, pb.add(i)),
                )
            };
            acc[0] = _mm512_fmadd_ps(x, y, acc[0]);
            i += n;
        }
        let v = acc
            .iter()
            .fold(_mm512_setzero_ps(), |s, &x| _mm512_add_ps(s, x));
        _mm512_reduce_add_ps(v)
    }
}
