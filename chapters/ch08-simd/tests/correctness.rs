//! Every kernel, at every x86 level this CPU runs plus the portable versions, against a simple
//! model, on generated inputs of every length from empty up, at unaligned starts.

use ch08::accumulators::{self, COUNTS};
use ch08::autovec::{
    add_raw_disjoint, add_raw_overlapping, add_slices, diff_sum_indexed, diff_sum_sliced, sum_u32,
};
use ch08::c::{self, Flavour};
use ch08::dot::{dot_auto, dot_scalar, dot_simd, dot_std};
use ch08::filter::{filter_scalar, filter_scalar_avx2, filter_simd};
use ch08::find::{
    find_auto, find_best, find_memchr, find_scalar, find_simd, find_std, find_unrolled,
};
use ch08::isa::Isa;
use ch08::loops::{
    col_sums_column_order, col_sums_row_order, col_sums_tiled, moments_fused, moments_two_pass,
};
use ch08::stream::{read_best, read_portable};
use ch08::sum::{
    sum_auto, sum_auto_avx2, sum_auto_dispatch, sum_auto_multiversion, sum_best, sum_scalar,
    sum_simd, sum_std,
};
use proptest::prelude::*;

/// The exact sum, in f64 (every f32 and every partial sum of a few thousand of them in
/// `[-1000, 1000]` is represented in f64 with room to spare), and the sum of absolute values.
fn model_sum(x: &[f32]) -> (f64, f64) {
    (
        x.iter().map(|&v| f64::from(v)).sum(),
        x.iter().map(|&v| f64::from(v).abs()).sum(),
    )
}

/// Whether a float sum computed in any order is close enough to the exact one.
///
/// Any order of `n - 1` additions in f32 errs by at most `(n - 1) * u * sum |x_i|` to first
/// order, with `u = 2^-24` the unit roundoff (Higham, "Accuracy and Stability of Numerical
/// Algorithms", 2nd ed., section 4.2); a fused multiply-add only removes roundings. We allow
/// `n * eps * sum |x_i|` (`eps = 2u`), twice that bound, plus a tiny absolute term for sums
/// of zeros.
fn close(got: f32, exact: f64, abs_sum: f64, n: usize) -> bool {
    let tol = (n as f64 + 1.0) * f64::from(f32::EPSILON) * abs_sum + 1e-30;
    (f64::from(got) - exact).abs() <= tol
}

/// Floats with an unaligned start: a vector whose first `skip` elements are dropped, so the
/// slice begins at any offset modulo the vector width.
fn floats() -> impl Strategy<Value = (Vec<f32>, usize)> {
    (
        prop::collection::vec(-1000.0f32..1000.0, 0..600),
        0usize..17,
    )
}

fn view<T>(v: &[T], skip: usize) -> &[T] {
    &v[skip.min(v.len())..]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_c_kernels_match_the_rust_ones((v, skip) in floats(), t in any::<u32>(), at in 0usize..700) {
        let x = view(&v, skip);
        let (exact, abs) = model_sum(x);
        let n = x.len();
        let y: Vec<f32> = x.iter().rev().map(|&f| f * 0.5 - 3.0).collect();
        let ints: Vec<u32> = x.iter().map(|f| f.to_bits()).collect();
        let mut hay: Vec<u8> = ints.iter().map(|&i| (i % 255) as u8).collect();
        if at < hay.len() {
            hay[at] = 255;
        }
        for flavour in Flavour::ALL.into_iter().filter(|f| f.available()) {
            let name = flavour.name();
            let sum = c::sum_scalar(flavour, x).unwrap();
            let lanes = c::sum_lanes(flavour, x).unwrap();
            let dot = c::dot_scalar(flavour, x, &y).unwrap();
            if matches!(flavour, Flavour::Base | Flavour::Avx2) {
                // Without -ffast-math the compiler keeps the source's order, and ISO C mode
                // does not fuse a multiply and an add: the bits of the Rust loops.
                prop_assert_eq!(sum.to_bits(), sum_scalar(x).to_bits(), "{}", name);
                prop_assert_eq!(dot.to_bits(), dot_scalar(x, &y).to_bits(), "{}", name);
                prop_assert_eq!(lanes.to_bits(), sum_auto(x).to_bits(), "{}", name);
            }
            prop_assert!(close(sum, exact, abs, n), "{name}: {sum} vs {exact}");
            prop_assert!(close(lanes, exact, abs, n), "{name} lanes: {lanes} vs {exact}");
            let want = hay.iter().position(|&b| b == 255);
            prop_assert_eq!(c::find_scalar(flavour, &hay, 255).unwrap(), want, "{}", name);
            let mut out = vec![0; ints.len()];
            let k = c::filter_scalar(flavour, &ints, t, &mut out).unwrap();
            let kept: Vec<u32> = ints.iter().copied().filter(|&i| i < t).collect();
            prop_assert_eq!(&out[..k], &kept[..], "{}", name);
        }
    }

    #[test]
    fn every_sum_matches_the_model((v, skip) in floats()) {
        let x = view(&v, skip);
        let (exact, abs) = model_sum(x);
        let n = x.len();
        let mut got = vec![("scalar", sum_scalar(x)), ("std", sum_std(x)), ("auto", sum_auto(x)),
                           ("best", sum_best(x))];
        if let Some(s) = sum_auto_avx2(x) {
            got.push(("auto_avx2", s));
        }
        for isa in Isa::supported() {
            got.push((isa.name(), sum_simd(isa, x)));
            for k in COUNTS {
                got.push(("accumulators", accumulators::sum_simd(isa, k, x)));
            }
        }
        for k in COUNTS {
            got.push(("portable accumulators", accumulators::sum_portable(k, x)));
        }
        for (name, s) in got {
            prop_assert!(close(s, exact, abs, n), "{name}: {s} vs {exact} (n = {n})");
        }
                // Every dispatch of the shaped sum runs the same additions in the same order as the
        // baseline copy, whatever the level it picks: the same bits.
        prop_assert_eq!(sum_auto_dispatch(x).to_bits(), sum_auto(x).to_bits());
        prop_assert_eq!(sum_auto_multiversion(x).to_bits(), sum_auto(x).to_bits());
        // The scalar loop and the iterator add in the same order: the same value. (Not quite
        // the same bits: `Iterator::sum` starts from -0.0, so an empty sum is -0.0, which
        // compares equal to the loop's 0.0.)
        prop_assert_eq!(sum_scalar(x), sum_std(x));
    }

    #[test]
    fn every_dot_matches_the_model((v, skip) in floats()) {
        let x = view(&v, skip);
        let y: Vec<f32> = x.iter().rev().map(|&f| f * 0.5 - 3.0).collect();
        let a = x;
        let b = view(&y, 0);
        let b = &b[..a.len()];
        let exact: f64 = a.iter().zip(b).map(|(&p, &q)| f64::from(p) * f64::from(q)).sum();
        let abs: f64 = a.iter().zip(b).map(|(&p, &q)| (f64::from(p) * f64::from(q)).abs()).sum();
        let n = a.len();
        // Each product adds one rounding of at most u * |p q|: within the same allowance.
        let mut got = vec![("scalar", dot_scalar(a, b)), ("std", dot_std(a, b)),
                           ("auto", dot_auto(a, b))];
        for isa in Isa::supported() {
            got.push((isa.name(), dot_simd(isa, a, b)));
        }
        for (name, s) in got {
            prop_assert!(close(s, exact, abs, n + 1), "{name}: {s} vs {exact} (n = {n})");
        }
    }

    #[test]
    fn every_search_finds_the_first_occurrence(
        hay in prop::collection::vec(0u8..8, 0..1200),
        skip in 0usize..70,
        needle in 0u8..9,
    ) {
        let h = view(&hay, skip);
        let want = h.iter().position(|&b| b == needle);
        prop_assert_eq!(find_scalar(h, needle), want);
        prop_assert_eq!(find_std(h, needle), want);
        prop_assert_eq!(find_memchr(h, needle), want);
        prop_assert_eq!(find_unrolled(h, needle), want);
        prop_assert_eq!(find_auto(h, needle), want);
        prop_assert_eq!(find_best(h, needle), want);
        for isa in Isa::supported() {
            prop_assert_eq!(find_simd(isa, h, needle), want, "{}", isa.name());
        }
    }

    #[test]
    fn every_filter_keeps_exactly_the_small_elements(
        src in prop::collection::vec(any::<u32>(), 0..600),
        skip in 0usize..17,
        t in any::<u32>(),
    ) {
        let s = view(&src, skip);
        let want: Vec<u32> = s.iter().copied().filter(|&x| x < t).collect();
        let mut runs: Vec<(&str, Vec<u32>)> = Vec::new();
        let mut out = vec![0; s.len()];
        let n = filter_scalar(s, t, &mut out);
        runs.push(("scalar", out[..n].to_vec()));
        let mut out = vec![0; s.len()];
        if let Some(n) = filter_scalar_avx2(s, t, &mut out) {
            runs.push(("scalar_avx2", out[..n].to_vec()));
        }
        for isa in Isa::supported() {
            let mut out = vec![0; s.len()];
            let n = filter_simd(isa, s, t, &mut out);
            runs.push((isa.name(), out[..n].to_vec()));
        }
        for (name, got) in runs {
            prop_assert_eq!(&got, &want, "{}", name);
        }
    }

    #[test]
    fn the_read_pass_ors_every_element((v, skip) in floats()) {
        let x = view(&v, skip);
        let want = x.iter().fold(0u32, |a, f| a | f.to_bits());
        prop_assert_eq!(read_portable(x), want);
        prop_assert_eq!(read_best(x), want);
    }

    #[test]
    fn the_autovec_examples_match_their_models(
        a in prop::collection::vec(any::<u32>(), 0..300),
        skip in 0usize..9,
    ) {
        let a = view(&a, skip);
        let b: Vec<u32> = a.iter().map(|x| x.rotate_left(7) ^ 0x9e37_79b9).collect();
        prop_assert_eq!(sum_u32(a), a.iter().fold(0u32, |s, &x| s.wrapping_add(x)));
        let diff = a.iter().zip(&b).fold(0u32, |s, (&x, &y)| s.wrapping_add(x.wrapping_sub(y)));
        prop_assert_eq!(diff_sum_indexed(a, &b, a.len()), diff);
        prop_assert_eq!(diff_sum_sliced(a, &b, a.len()), diff);
    }

    #[test]
    fn adding_slices_matches_the_model((v, skip) in floats()) {
        let x = view(&v, skip);
        // Disjoint halves: the second half gains the first.
        let half = x.len() / 2;
        let mut want = x.to_vec();
        for i in 0..half {
            want[half + i] += x[i];
        }
        let mut got = x.to_vec();
        add_raw_disjoint(&mut got);
        prop_assert_eq!(&got, &want);
        let mut got = x.to_vec();
        let (lo, hi) = got.split_at_mut(half);
        add_slices(&mut hi[..half], lo);
        prop_assert_eq!(&got, &want);
        // Overlapping by one: a running sum, element by element.
        let mut want = x.to_vec();
        for i in 1..want.len() {
            want[i] += want[i - 1];
        }
        let mut got = x.to_vec();
        add_raw_overlapping(&mut got);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn fused_and_two_pass_moments_are_the_same_bits((v, skip) in floats()) {
        let x = view(&v, skip);
        let (s1, q1) = moments_two_pass(x);
        let (s2, q2) = moments_fused(x);
        prop_assert_eq!(s1.to_bits(), s2.to_bits());
        prop_assert_eq!(q1.to_bits(), q2.to_bits());
        let (exact, abs) = model_sum(x);
        prop_assert!(close(s1, exact, abs, x.len()));
    }

    #[test]
    fn column_sums_agree_in_every_order(
        rows in 0usize..40,
        cols in 1usize..45,
        seed in any::<u64>(),
    ) {
        let m = ch08::input::random_u32s(rows * cols, seed);
        let mut want = vec![0u32; cols];
        for i in 0..rows {
            for j in 0..cols {
                want[j] = want[j].wrapping_add(m[i * cols + j]);
            }
        }
        for f in [col_sums_row_order, col_sums_column_order, col_sums_tiled] {
            let mut out = vec![7u32; cols];
            f(&m, cols, &mut out);
            prop_assert_eq!(&out, &want);
        }
    }
}

#[test]
fn an_empty_input_is_handled_by_every_kernel() {
    let e: [f32; 0] = [];
    assert_eq!(sum_scalar(&e), 0.0);
    assert_eq!(sum_best(&e), 0.0);
    assert_eq!(dot_auto(&e, &e), 0.0);
    for isa in Isa::supported() {
        assert_eq!(sum_simd(isa, &e), 0.0);
        assert_eq!(dot_simd(isa, &e, &e), 0.0);
        assert_eq!(find_simd(isa, &[], 0), None);
        assert_eq!(filter_simd(isa, &[], 0, &mut []), 0);
    }
    assert_eq!(find_auto(&[], 0), None);
    assert_eq!(read_best(&e), 0);
}

#[test]
fn the_haystack_hides_its_needle_at_the_end() {
    let h = ch08::input::haystack(5000, b'\n', 1);
    assert_eq!(find_scalar(&h, b'\n'), Some(4999));
    assert_eq!(find_best(&h, b'\n'), Some(4999));
}

#[test]
fn an_aligned_copy_starts_on_a_cache_line_and_holds_the_same_bytes() {
    let h = ch08::input::haystack(5000, b'\n', 1);
    let copy = ch08::input::aligned_copy(&h);
    assert_eq!(copy.as_ptr() as usize % 64, 0);
    assert_eq!(&copy[..], &h[..]);
    assert_eq!(find_best(&copy, b'\n'), Some(4999));
}

#[test]
fn the_seeded_arrays_start_on_a_cache_line_and_hold_every_element() {
    for len in [0, 1, 15, 16, 17, 4096, 4099] {
        let f = ch08::input::random_f32s(len, 7);
        let u = ch08::input::random_u32s(len, 7);
        assert_eq!((f.len(), u.len()), (len, len));
        assert_eq!(f.as_ptr() as usize % 64, 0);
        assert_eq!(u.as_ptr() as usize % 64, 0);
        assert!(f.iter().all(|&x| (0.0..1.0).contains(&x)));
        // The values are the book's seeded ones, only placed on a line.
        assert_eq!(&f[..], &inputs::random_f32s(len, 7)[..]);
        assert_eq!(&u[..], &inputs::random_u32s(len, 7)[..]);
        // The same seed gives the same values, and a longer array extends a shorter one.
        let longer = ch08::input::random_u32s(len + 3, 7);
        assert_eq!(&longer[..len], &u[..]);
        let mut g = f.clone();
        g.iter_mut().for_each(|x| *x += 1.0);
        assert!(g.iter().zip(f.iter()).all(|(a, b)| *a == *b + 1.0));
    }
}

#[test]
fn detection_agrees_with_the_compile_time_baseline() {
    // SSE2 is part of the x86_64 baseline: detection must report it there, and no x86 level
    // anywhere else.
    assert_eq!(
        Isa::Sse2.available(),
        cfg!(target_arch = "x86_64"),
        "SSE2 detection"
    );
    if let Some(best) = Isa::best() {
        assert!(best.available());
    }
}

#[test]
fn the_multiply_add_ceiling_does_all_its_work() {
    use ch08::ceiling::{fma_peak, fma_peak_model};
    for (isa, lanes) in [(Isa::Avx2, 8), (Isa::Avx512, 16)] {
        if !isa.available() {
            continue;
        }
        for iters in [0, 1, 7, 1024] {
            let (m, a) = (0.999f32, 0.5f32);
            assert_eq!(
                fma_peak(isa, iters, m, a).to_bits(),
                fma_peak_model(lanes, iters, m, a).to_bits(),
                "{} over {iters}",
                isa.name()
            );
        }
    }
}

#[test]
#[should_panic(expected = "no fused multiply-add")]
fn the_multiply_add_ceiling_has_no_sse2_version() {
    let _ = ch08::ceiling::fma_peak(Isa::Sse2, 1, 1.0, 1.0);
}

#[test]
fn the_copy_ceiling_copies() {
    let src: Vec<u32> = (0..100).collect();
    let mut dst = vec![7u32; 120];
    ch08::ceiling::copy(&src, &mut dst);
    assert_eq!(&dst[..100], &src[..]);
    assert!(dst[100..].iter().all(|&d| d == 7));
}

#[test]
fn the_needle_position_sweep_finds_its_needle_where_it_put_it() {
    use ch08::cases::{FIND_POSITIONS, FIND_POSITIONS_LEN, NEEDLE, SEED};
    for &at in &FIND_POSITIONS {
        let mut hay = ch08::input::haystack(FIND_POSITIONS_LEN, NEEDLE, SEED);
        hay[at] = NEEDLE;
        assert_eq!(find_memchr(&hay, NEEDLE), Some(at));
        assert_eq!(find_std(&hay, NEEDLE), Some(at));
        if Isa::Avx2.available() {
            assert_eq!(find_simd(Isa::Avx2, &hay, NEEDLE), Some(at));
        }
    }
}

#[test]
fn the_c_flavours_run_where_the_cpu_allows() {
    // The baseline flavours run on every x86-64 CPU; elsewhere no C kernel is built.
    assert_eq!(Flavour::Base.available(), cfg!(target_arch = "x86_64"));
    assert_eq!(Flavour::FastMath.available(), cfg!(target_arch = "x86_64"));
    assert_eq!(
        Flavour::Avx2.available(),
        Isa::Avx2.available() && Flavour::Base.available()
    );
    assert!(
        Flavour::ALL
            .iter()
            .all(|f| f.needs_avx2() == f.name().ends_with("avx2"))
    );
}

#[test]
#[should_panic(expected = "must be as long as its input")]
fn the_c_filter_refuses_a_short_output() {
    let src = [1u32, 2, 3];
    let mut out = [0u32; 2];
    let _ = c::filter_scalar(Flavour::Base, &src, 10, &mut out);
}
