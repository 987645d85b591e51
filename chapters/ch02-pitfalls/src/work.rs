//! The functions the chapter measures. Each is ordinary code; the pitfalls are in how a
//! benchmark calls them.

// ANCHOR: hash
/// The 64-bit finaliser of MurmurHash3 (`fmix64`): a hash of a key for a hash
/// table.
///
/// It is small, has no side effects and no calls, which makes it the kind of
/// function the compiler may inline into a benchmark, and then delete, fold or
/// hoist.
pub fn hash(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}
// ANCHOR_END: hash

/// `rounds` applications of [`hash`], each to the result of the one before: work whose size is
/// a parameter, `rounds` times the latency of one hash.
pub fn hash_rounds(mut x: u64, rounds: u32) -> u64 {
    for _ in 0..rounds {
        x = hash(x);
    }
    x
}

// ANCHOR: parse
/// Parses an unsigned decimal number; `None` for an empty string, a non-digit or
/// overflow.
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in s {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(n)
}
// ANCHOR_END: parse

// ANCHOR: checksum
/// The wrapping sum of a buffer's words: a stand-in for any pass over a message (a
/// checksum, a hash, a parse) whose speed depends on where the bytes are.
pub fn checksum(words: &[u64]) -> u64 {
    words.iter().fold(0u64, |acc, &w| acc.wrapping_add(w))
}
// ANCHOR_END: checksum

// ANCHOR: keep_large
/// Copies the values of at least 128 from `values` to the front of `out`, in order,
/// and returns how many it copied. The test is a branch: the compiler does not turn
/// a conditional store into straight-line code.
///
/// # Panics
/// If `out` is shorter than the number of values kept.
pub fn keep_large(values: &[u8], out: &mut [u8]) -> usize {
    let mut kept = 0;
    for &v in values {
        if v >= 128 {
            out[kept] = v;
            kept += 1;
        }
    }
    kept
}
// ANCHOR_END: keep_large

// ANCHOR: div_round
/// `n / d`, rounded to the nearest integer (halves round up).
///
/// # Panics
/// If `d` is zero or `n + d / 2` overflows.
pub fn div_round(n: u64, d: u64) -> u64 {
    n.checked_add(d / 2).expect("div_round overflows") / d
}

/// Converts timestamps from nanoseconds to microseconds: how the crate itself uses
/// [`div_round`], which the compiler inlines here with its constant divisor.
///
/// # Panics
/// If the slices differ in length.
pub fn ns_to_us(ns: &[u64], us: &mut [u64]) {
    assert_eq!(ns.len(), us.len(), "one output per timestamp");
    for (u, &n) in us.iter_mut().zip(ns) {
        *u = div_round(n, 1000);
    }
}
// ANCHOR_END: div_round

// ANCHOR: div_round_inline
/// [`div_round`] with an `#[inline]` hint, which makes its body available to other
/// crates, benchmarks included.
///
/// # Panics
/// As [`div_round`].
#[inline]
pub fn div_round_inline(n: u64, d: u64) -> u64 {
    n.checked_add(d / 2).expect("div_round overflows") / d
}
// ANCHOR_END: div_round_inline
