//! The index of the first occurrence of a byte. The scalar loop has an early exit on every
//! byte, which the compiler's loop vectoriser does not handle: it vectorises loops whose trip
//! count is known when they start. The versions that go faster check a whole block of bytes
//! without an exit, then exit once per block.

// ANCHOR: scalar
/// One byte, one comparison, one exit test.
#[inline(never)]
pub fn find_scalar(hay: &[u8], needle: u8) -> Option<usize> {
    let mut i = 0;
    while i < hay.len() {
        if hay[i] == needle {
            return Some(i);
        }
        i += 1;
    }
    None
}
// ANCHOR_END: scalar

/// The standard library: `Iterator::position`.
#[inline(never)]
pub fn find_std(hay: &[u8], needle: u8) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// The peer crate: `memchr::memchr`.
#[inline(never)]
pub fn find_memchr(hay: &[u8], needle: u8) -> Option<usize> {
    memchr::memchr(needle, hay)
}

// ANCHOR: unroll
/// Unrolled by hand eight times: eight comparisons combined with `|` and one exit test per
/// eight bytes, instead of one per byte.
#[inline(never)]
pub fn find_unrolled(hay: &[u8], needle: u8) -> Option<usize> {
    let mut chunks = hay.chunks_exact(8);
    for (k, c) in (&mut chunks).enumerate() {
        let hit = (c[0] == needle)
            | (c[1] == needle)
            | (c[2] == needle)
            | (c[3] == needle)
            | (c[4] == needle)
            | (c[5] == needle)
            | (c[6] == needle)
            | (c[7] == needle);
        if hit {
            return find_scalar(c, needle).map(|j| k * 8 + j);
        }
    }
    let done = hay.len() - chunks.remainder().len();
    find_scalar(chunks.remainder(), needle).map(|j| done + j)
}
// ANCHOR_END: unroll

/// Bytes per block of the auto-vectorised search.
pub const AUTO_BLOCK: usize = 64;

// ANCHOR: auto
/// Shaped for the vectoriser: inside a block of [`AUTO_BLOCK`] bytes there is no exit, only a
/// fold of comparisons, which the compiler turns into vector compares; the exit test runs once
/// per block.
#[inline(never)]
pub fn find_auto(hay: &[u8], needle: u8) -> Option<usize> {
    let mut blocks = hay.chunks_exact(AUTO_BLOCK);
    for (k, b) in (&mut blocks).enumerate() {
        let hit = b.iter().fold(false, |h, &x| h | (x == needle));
        if hit {
            return find_scalar(b, needle).map(|j| k * AUTO_BLOCK + j);
        }
    }
    let done = hay.len() - blocks.remainder().len();
    find_scalar(blocks.remainder(), needle).map(|j| done + j)
}
// ANCHOR_END: auto

/// The intrinsics version for `isa`: four vectors per iteration, one exit test per four.
///
/// # Panics
/// When the CPU does not support `isa`.
pub fn find_simd(isa: crate::isa::Isa, hay: &[u8], needle: u8) -> Option<usize> {
    isa.require();
    #[cfg(target_arch = "x86_64")]
    {
        use crate::isa::Isa;
        // SAFETY: `require` returned, so the CPU supports the features each function enables.
        unsafe {
            match isa {
                Isa::Sse2 => x86::find_sse2(hay, needle),
                Isa::Avx2 => x86::find_avx2(hay, needle),
                Isa::Avx512 => x86::find_avx512(hay, needle),
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        unreachable!("no x86 level is available on this target")
    }
}

/// The fastest search this CPU runs: the widest intrinsics version, or the auto-vectorised one.
pub fn find_best(hay: &[u8], needle: u8) -> Option<usize> {
    match crate::isa::Isa::best() {
        Some(isa) => find_simd(isa, hay, needle),
        None => find_auto(hay, needle),
    }
}

/// The `std::arch` versions. Each compares four vectors per iteration and ORs the results,
/// so that the loop has one exit test per four vectors; a hit is then located precisely.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::*;

    /// SSE2, 16 bytes a vector.
    ///
    /// # Safety
    /// None beyond SSE2, which every `x86_64` CPU has.
    #[target_feature(enable = "sse2")]
    #[inline(never)]
    pub unsafe fn find_sse2(hay: &[u8], needle: u8) -> Option<usize> {
        const W: usize = 16;
        let n = _mm_set1_epi8(needle as i8);
        let p = hay.as_ptr();
        let len = hay.len();
        let mut i = 0;
        while i + 4 * W <= len {
            // SAFETY: i + 4 * W <= len, so the four loads are inside `hay`.
            let (a, b, c, d) = unsafe {
                (
                    _mm_loadu_si128(p.add(i).cast()),
                    _mm_loadu_si128(p.add(i + W).cast()),
                    _mm_loadu_si128(p.add(i + 2 * W).cast()),
                    _mm_loadu_si128(p.add(i + 3 * W).cast()),
                )
            };
            let any = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(a, n), _mm_cmpeq_epi8(b, n)),
                _mm_or_si128(_mm_cmpeq_epi8(c, n), _mm_cmpeq_epi8(d, n)),
            );
            if _mm_movemask_epi8(any) != 0 {
                break;
            }
            i += 4 * W;
        }
        while i + W <= len {
            // SAFETY: i + W <= len; loadu accepts any alignment.
            let v = unsafe { _mm_loadu_si128(p.add(i).cast()) };
            // Bit j is set when byte i + j equals the needle.
            let m = _mm_movemask_epi8(_mm_cmpeq_epi8(v, n)) as u32;
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += W;
        }
        super::find_scalar(&hay[i..], needle).map(|j| i + j)
    }

    // ANCHOR: avx2
    /// AVX2, 32 bytes a vector.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub unsafe fn find_avx2(hay: &[u8], needle: u8) -> Option<usize> {
        const W: usize = 32;
        let n = _mm256_set1_epi8(needle as i8);
        let p = hay.as_ptr();
        let len = hay.len();
        let mut i = 0;
        while i + 4 * W <= len {
            // SAFETY: i + 4 * W <= len, so the four loads are inside `hay`.
            let (a, b, c, d) = unsafe {
                (
                    _mm256_loadu_si256(p.add(i).cast()),
                    _mm256_loadu_si256(p.add(i + W).cast()),
                    _mm256_loadu_si256(p.add(i + 2 * W).cast()),
                    _mm256_loadu_si256(p.add(i + 3 * W).cast()),
                )
            };
            let any = _mm256_or_si256(
                _mm256_or_si256(_mm256_cmpeq_epi8(a, n), _mm256_cmpeq_epi8(b, n)),
                _mm256_or_si256(_mm256_cmpeq_epi8(c, n), _mm256_cmpeq_epi8(d, n)),
            );
            if _mm256_movemask_epi8(any) != 0 {
                break;
            }
            i += 4 * W;
        }
        while i + W <= len {
            // SAFETY: i + W <= len.
            let v = unsafe { _mm256_loadu_si256(p.add(i).cast()) };
            let m = _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, n)) as u32;
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += W;
        }
        super::find_scalar(&hay[i..], needle).map(|j| i + j)
    }
    // ANCHOR_END: avx2

    /// AVX-512BW, 64 bytes a vector: the compare writes a 64-bit mask register directly, and
    /// the tail is one masked load.
    ///
    /// # Safety
    /// The CPU must support AVX-512F and AVX-512BW.
    #[target_feature(enable = "avx512f,avx512bw")]
    #[inline(never)]
    pub unsafe fn find_avx512(hay: &[u8], needle: u8) -> Option<usize> {
        const W: usize = 64;
        let n = _mm512_set1_epi8(needle as i8);
        let p = hay.as_ptr();
        let len = hay.len();
        let mut i = 0;
        while i + 4 * W <= len {
            // SAFETY: i + 4 * W <= len, so the four loads are inside `hay`.
            let (a, b, c, d) = unsafe {
                (
                    _mm512_loadu_si512(p.add(i).cast()),
                    _mm512_loadu_si512(p.add(i + W).cast()),
                    _mm512_loadu_si512(p.add(i + 2 * W).cast()),
                    _mm512_loadu_si512(p.add(i + 3 * W).cast()),
                )
            };
            let any = (_mm512_cmpeq_epi8_mask(a, n) | _mm512_cmpeq_epi8_mask(b, n))
                | (_mm512_cmpeq_epi8_mask(c, n) | _mm512_cmpeq_epi8_mask(d, n));
            if any != 0 {
                break;
            }
            i += 4 * W;
        }
        while i < len {
            let k = (len - i).min(W);
            let keep: __mmask64 = if k == W { u64::MAX } else { (1u64 << k) - 1 };
            // SAFETY: the mask selects bytes i .. i + k, all below len; masked-out bytes are
            // neither read nor able to fault.
            let v = unsafe { _mm512_maskz_loadu_epi8(keep, p.add(i).cast()) };
            let m = _mm512_mask_cmpeq_epi8_mask(keep, v, n);
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += k;
        }
        None
    }
}
