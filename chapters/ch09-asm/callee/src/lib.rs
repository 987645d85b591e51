//! The callee of chapter 09's LTO experiment: three small, non-generic functions that
//! `ch09::lto` calls in a hot loop from the other side of a crate boundary.
//!
//! Without link-time optimisation, a crate is compiled without seeing the machine code of the
//! crates it calls; only functions whose intermediate form crosses the boundary can be inlined.
//! Since Rust 1.75 that includes small *leaf* functions (no calls left after the compiler's own
//! simplifications), even without `#[inline]`. The three functions differ in exactly that:
//!
//! - [`mix_leaf`] is a leaf: the caller can inline it in any build.
//! - [`mix_checked`] does the same arithmetic but calls a cold error function on an input that
//!   never occurs. The call makes it a non-leaf, so without LTO the caller calls it.
//! - [`mix_checked_inline`] is [`mix_checked`] marked `#[inline]`: its body crosses the crate
//!   boundary whatever the profile.

// ANCHOR: callee
/// One round of a 64-bit mixing function (the finaliser of SplitMix64).
/// A leaf: no calls.
pub fn mix_leaf(x: u64) -> u64 {
    let x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// [`mix_leaf`] with a check that calls an error function when the input
/// is the one reserved value [`RESERVED`]. The call is never taken, but it
/// is there, so this is not a leaf.
pub fn mix_checked(x: u64) -> u64 {
    if x == RESERVED {
        reserved_input();
    }
    mix_leaf(x)
}

/// [`mix_checked`], offered for inlining into other crates.
#[inline]
pub fn mix_checked_inline(x: u64) -> u64 {
    if x == RESERVED {
        reserved_input();
    }
    mix_leaf(x)
}

/// The input [`mix_checked`] refuses.
pub const RESERVED: u64 = u64::MAX;

/// The error path: out of line and marked cold.
#[cold]
#[inline(never)]
fn reserved_input() -> ! {
    panic!("mix_checked: the input u64::MAX is reserved")
}
// ANCHOR_END: callee

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_functions_agree_and_the_reserved_input_panics() {
        for x in [0, 1, 42, 1 << 40, u64::MAX - 1] {
            assert_eq!(mix_checked(x), mix_leaf(x));
            assert_eq!(mix_checked_inline(x), mix_leaf(x));
        }
        assert_ne!(mix_leaf(1), mix_leaf(2));
        assert!(std::panic::catch_unwind(|| mix_checked(RESERVED)).is_err());
    }
}
