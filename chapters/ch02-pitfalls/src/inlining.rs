//! Inlining.
/// `n / d`, rounded to nearest.
pub fn div_round(n: u64, d: u64) -> u64 {
    n.checked_add(d / 2).expect("div_round overflows") / d
}
/// Same, with inline.
#[inline]
pub fn div_round_inline(n: u64, d: u64) -> u64 {
    n.checked_add(d / 2).expect("div_round overflows") / d
}
/// ns to us for all.
pub fn ns_to_us(xs: &mut [u64]) {
    for x in xs {
        *x = div_round(*x, 1000);
    }
}
