//! Inlining: one small function called in a hot loop under each inlining attribute, and an
//! error path kept inline or split off as cold.
//!
//! Each loop is a separate `#[inline(never)]` function, so the page can show its assembly and
//! the harnesses measure exactly one loop per call.

// ANCHOR: score
/// The small function: a multiplicative hash of `x` reduced to its top eight bits.
fn score(x: u32) -> u32 {
    x.wrapping_mul(0x9e37_79b9) >> 24
}

/// [`score`], with no attribute: the compiler decides.
fn score_plain(x: u32) -> u32 {
    score(x)
}

/// [`score`], marked `#[inline]`: a hint, and permission to inline across crates.
#[inline]
fn score_inline(x: u32) -> u32 {
    score(x)
}

/// [`score`], marked `#[inline(always)]`: inlined wherever it is called (except in debug builds).
#[inline(always)]
fn score_always(x: u32) -> u32 {
    score(x)
}

/// [`score`], marked `#[inline(never)]`: always a call.
#[inline(never)]
fn score_never(x: u32) -> u32 {
    score(x)
}
// ANCHOR_END: score

// ANCHOR: score_loops
/// The sum of `score` over `xs`, calling the version without an attribute.
#[inline(never)]
pub fn total_plain(xs: &[u32]) -> u32 {
    xs.iter()
        .fold(0, |acc, &x| acc.wrapping_add(score_plain(x)))
}

/// The sum of `score` over `xs`, calling the `#[inline]` version.
#[inline(never)]
pub fn total_inline(xs: &[u32]) -> u32 {
    xs.iter()
        .fold(0, |acc, &x| acc.wrapping_add(score_inline(x)))
}

/// The sum of `score` over `xs`, calling the `#[inline(always)]` version.
#[inline(never)]
pub fn total_always(xs: &[u32]) -> u32 {
    xs.iter()
        .fold(0, |acc, &x| acc.wrapping_add(score_always(x)))
}

/// The sum of `score` over `xs`, calling the `#[inline(never)]` version.
#[inline(never)]
pub fn total_never(xs: &[u32]) -> u32 {
    xs.iter()
        .fold(0, |acc, &x| acc.wrapping_add(score_never(x)))
}
// ANCHOR_END: score_loops

/// The model: `score` summed with wrapping arithmetic.
pub fn total_model(xs: &[u32]) -> u32 {
    let mut acc = 0u32;
    for &x in xs {
        acc = acc.wrapping_add(score(x));
    }
    acc
}

/// What the validating sums report when an element is out of range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange {
    /// Position of the first element out of range.
    pub index: usize,
    /// A description for a person.
    pub message: String,
}

/// Elements at or above this limit are errors.
pub const LIMIT: u32 = 1 << 30;

// ANCHOR: validate_inline
/// The sum of `xs` as `u64`, or an error naming the first element at or above [`LIMIT`]; the
/// error is built where it is detected, inside the loop's function.
#[inline(never)]
pub fn checked_sum_inline_error(xs: &[u32]) -> Result<u64, OutOfRange> {
    let mut sum = 0u64;
    for (i, &x) in xs.iter().enumerate() {
        if x >= LIMIT {
            return Err(OutOfRange {
                index: i,
                message: format!("element {i} is {x}, at or above the limit {LIMIT}"),
            });
        }
        sum += u64::from(x);
    }
    Ok(sum)
}
// ANCHOR_END: validate_inline

// ANCHOR: validate_cold
/// Builds the error of [`checked_sum_cold_error`]: out of line, and marked cold so that the
/// compiler lays out the loop for the case in which it is not called.
#[cold]
#[inline(never)]
fn out_of_range(i: usize, x: u32) -> OutOfRange {
    OutOfRange {
        index: i,
        message: format!("element {i} is {x}, at or above the limit {LIMIT}"),
    }
}

/// [`checked_sum_inline_error`] with the error built by the cold function `out_of_range`.
#[inline(never)]
pub fn checked_sum_cold_error(xs: &[u32]) -> Result<u64, OutOfRange> {
    let mut sum = 0u64;
    for (i, &x) in xs.iter().enumerate() {
        if x >= LIMIT {
            return Err(out_of_range(i, x));
        }
        sum += u64::from(x);
    }
    Ok(sum)
}
// ANCHOR_END: validate_cold

/// The model of both validating sums.
pub fn checked_sum_model(xs: &[u32]) -> Result<u64, usize> {
    match xs.iter().position(|&x| x >= LIMIT) {
        Some(i) => Err(i),
        None => Ok(xs.iter().map(|&x| u64::from(x)).sum()),
    }
}
