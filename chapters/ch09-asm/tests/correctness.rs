//! Every variant of every experiment computes what a simple model computes: the `asm!` and
//! `global_asm!` kernels, the compiler's kernels, the loops under each inlining attribute, every
//! kind of dispatch, and the loops over the other crate's functions.

use ch09::dispatch::{
    self, AnyOp, Arena, Grouped, Mul, mixed_box, mixed_dyn, mixed_enum, mixed_grouped,
    one_type_box, one_type_dyn, one_type_dyn_known, one_type_enum, one_type_generic,
};
use ch09::inlining::{
    self, LIMIT, checked_sum_cold_error, checked_sum_inline_error, total_always, total_inline,
    total_never, total_plain,
};
use ch09::kernel::{
    crc32c_asm, crc32c_intrinsic, crc32c_table, sum_asm, sum_asm_unrolled, sum_compiler,
    sum_global_asm,
};
use ch09::lto;
use proptest::prelude::*;

/// CRC-32C bit by bit, straight from the definition.
fn crc32c_model(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ ch09::kernel::CRC32C_POLY
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn crc32c_matches_the_published_check_value() {
    // The check value of CRC-32C (RFC 3720, and every CRC catalogue): "123456789".
    for f in [crc32c_table, crc32c_intrinsic, crc32c_asm, crc32c_model] {
        assert_eq!(f(b"123456789"), 0xe306_9283);
        assert_eq!(f(b""), 0);
    }
}

#[test]
fn the_sums_wrap_and_handle_empty_input() {
    let xs = [u64::MAX, 2, 3];
    for f in [sum_compiler, sum_asm, sum_asm_unrolled, sum_global_asm] {
        assert_eq!(f(&xs), 4);
        assert_eq!(f(&[]), 0);
    }
}

#[test]
fn the_error_paths_report_the_first_bad_element() {
    let xs = [1, 2, LIMIT, 4, LIMIT + 7];
    for f in [checked_sum_inline_error, checked_sum_cold_error] {
        let e = f(&xs).unwrap_err();
        assert_eq!(e.index, 2);
        assert!(e.message.contains(&LIMIT.to_string()), "{}", e.message);
    }
}

fn any_op() -> impl Strategy<Value = AnyOp> {
    any::<u64>().prop_map(AnyOp::from_random)
}

proptest! {
    #[test]
    fn sums_agree(xs in proptest::collection::vec(any::<u64>(), 0..300)) {
        let want = xs.iter().fold(0u64, |a, &x| a.wrapping_add(x));
        prop_assert_eq!(sum_compiler(&xs), want);
        prop_assert_eq!(sum_asm(&xs), want);
        prop_assert_eq!(sum_asm_unrolled(&xs), want);
        prop_assert_eq!(sum_global_asm(&xs), want);
    }

    #[test]
    fn crc32c_agrees(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let want = crc32c_model(&data);
        prop_assert_eq!(crc32c_table(&data), want);
        prop_assert_eq!(crc32c_intrinsic(&data), want);
        prop_assert_eq!(crc32c_asm(&data), want);
    }

    #[test]
    fn inlining_variants_agree(xs in proptest::collection::vec(any::<u32>(), 0..300)) {
        let want = inlining::total_model(&xs);
        prop_assert_eq!(total_plain(&xs), want);
        prop_assert_eq!(total_inline(&xs), want);
        prop_assert_eq!(total_always(&xs), want);
        prop_assert_eq!(total_never(&xs), want);
    }

    #[test]
    fn checked_sums_agree(xs in proptest::collection::vec(
        prop_oneof![9 => 0..LIMIT, 1 => LIMIT..=u32::MAX], 0..200)) {
        let want = inlining::checked_sum_model(&xs);
        for f in [checked_sum_inline_error, checked_sum_cold_error] {
            prop_assert_eq!(f(&xs).map_err(|e| e.index), want);
        }
    }

    #[test]
    fn one_type_dispatch_agrees(k in any::<u64>(), xs in proptest::collection::vec(any::<u64>(), 0..300)) {
        let ops = vec![AnyOp::Mul(Mul(k)); xs.len()];
        let want = dispatch::model(&ops, &xs);
        prop_assert_eq!(one_type_generic(&Mul(k), &xs), want);
        prop_assert_eq!(one_type_dyn(&Mul(k), &xs), want);
        prop_assert_eq!(one_type_box(&AnyOp::Mul(Mul(k)).boxed(), &xs), want);
        prop_assert_eq!(one_type_dyn_known(k, &xs), want);
        prop_assert_eq!(one_type_enum(&AnyOp::Mul(Mul(k)), &xs), want);
    }

    #[test]
    fn mixed_dispatch_agrees(items in proptest::collection::vec((any_op(), any::<u64>()), 0..300)) {
        let (ops, xs): (Vec<AnyOp>, Vec<u64>) = items.into_iter().unzip();
        let want = dispatch::model(&ops, &xs);
        let boxed: Vec<Box<dyn dispatch::Op>> = ops.iter().map(|o| o.boxed()).collect();
        let arena = Arena::new(&ops);
        prop_assert_eq!(mixed_box(&boxed, &xs), want);
        prop_assert_eq!(mixed_dyn(&arena.refs(), &xs), want);
        prop_assert_eq!(mixed_enum(&ops, &xs), want);
        prop_assert_eq!(mixed_grouped(&Grouped::new(&ops, &xs)), want);
    }

    #[test]
    fn cross_crate_loops_agree(xs in proptest::collection::vec(0..u64::MAX, 0..300)) {
        let want = lto::model(&xs);
        for (name, f) in lto::CASES {
            prop_assert_eq!(f(&xs), want, "{}", name);
        }
    }
}

#[test]
fn the_lto_input_avoids_the_reserved_value() {
    let xs = lto::input(ch09::cases::LTO_LEN);
    assert!(!xs.contains(&ch09_callee::RESERVED));
    assert_eq!(lto::CASES[0].1(&xs), lto::model(&xs));
}
