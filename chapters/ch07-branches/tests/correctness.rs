//! Chapter 07's kernels against simple models: every branchless or bit-trick version against
//! the obvious code, on random inputs and on the edge cases.

use std::collections::HashSet;

use ch07::bits::{
    self, BYTE_ONES, BitImpl, find_byte_naive, find_byte_swar, has_bmi2, ones_swar, pdep_portable,
    pext_naive, pext_portable, popcount_count_ones, popcount_hw, popcount_lut, popcount_naive,
    popcount_swar, set_positions_naive, set_positions_tzcnt,
};
use ch07::bitset::{Bitset, MemberCase, SetKind};
use ch07::cases::*;
use ch07::filter::{
    Filter, FilterCase, THRESHOLD, filter_branchless, filter_branchy, filter_input,
};
use ch07::input::{Rng, chance, random_u32s, sparse_words};
use ch07::search::{
    Search, SearchCase, lower_bound_branchless, lower_bound_branchy, lower_bound_std,
};
use proptest::prelude::*;

/// The model of a popcount: test every bit.
fn ones_model(w: u64) -> u64 {
    (0..64).filter(|i| (w >> i) & 1 == 1).count() as u64
}

/// The model of `pext`: collect the selected bits in order.
fn pext_model(x: u64, mask: u64) -> u64 {
    let bits: Vec<u64> = (0..64)
        .filter(|i| (mask >> i) & 1 == 1)
        .map(|i| (x >> i) & 1)
        .collect();
    bits.iter().enumerate().fold(0, |r, (k, b)| r | (b << k))
}

/// The model of `pdep`: the k-th low bit of `x` goes to the k-th set bit of `mask`.
fn pdep_model(x: u64, mask: u64) -> u64 {
    let positions: Vec<u64> = (0..64).filter(|i| (mask >> i) & 1 == 1).collect();
    positions
        .iter()
        .enumerate()
        .fold(0, |r, (k, &i)| r | (((x >> k) & 1) << i))
}

proptest! {
    #[test]
    fn both_filters_keep_exactly_the_passing_elements_in_order(
        input in prop::collection::vec(any::<u32>(), 0..300),
        threshold in any::<u32>(),
    ) {
        let model: Vec<u32> = input.iter().copied().filter(|&x| x < threshold).collect();
        let mut a = vec![0; input.len()];
        let mut b = vec![0; input.len()];
        let na = filter_branchy(&input, threshold, &mut a);
        let nb = filter_branchless(&input, threshold, &mut b);
        prop_assert_eq!(&a[..na], &model[..]);
        prop_assert_eq!(&b[..nb], &model[..]);
    }

    #[test]
    fn filter_inputs_pass_at_the_requested_rate(p in 0u32..=100, seed in any::<u64>()) {
        let v = filter_input(4000, p, seed);
        let passing = v.iter().filter(|&&x| x < THRESHOLD).count() as f64 / 4000.0;
        // Four thousand Bernoulli trials: within 0.05 of p with overwhelming probability.
        prop_assert!((passing - f64::from(p) / 100.0).abs() < 0.05, "{passing} for {p}%");
    }

    #[test]
    fn the_three_searches_agree_with_a_linear_scan(
        mut keys in prop::collection::vec(any::<u32>(), 0..200),
        q in any::<u32>(),
    ) {
        keys.sort_unstable();
        let model = keys.iter().take_while(|&&k| k < q).count();
        prop_assert_eq!(lower_bound_branchy(&keys, q), model);
        prop_assert_eq!(lower_bound_branchless(&keys, q), model);
        prop_assert_eq!(lower_bound_std(&keys, q), model);
        if let Some(&k) = keys.first() {
            let first = keys.iter().take_while(|&&x| x < k).count();
            prop_assert_eq!(lower_bound_branchless(&keys, k), first);
        }
    }

    #[test]
    fn every_popcount_matches_the_bit_by_bit_model(words in prop::collection::vec(any::<u64>(), 0..64)) {
        let model: u64 = words.iter().map(|&w| ones_model(w)).sum();
        prop_assert_eq!(popcount_naive(&words), model);
        prop_assert_eq!(popcount_lut(&words), model);
        prop_assert_eq!(popcount_swar(&words), model);
        prop_assert_eq!(popcount_count_ones(&words), model);
        prop_assert_eq!(popcount_hw(&words), model);
    }

    #[test]
    fn both_set_bit_walks_sum_the_same_positions(words in prop::collection::vec(any::<u64>(), 0..32)) {
        let model: u64 = words
            .iter()
            .enumerate()
            .flat_map(|(k, &w)| (0..64u64).filter(move |i| (w >> i) & 1 == 1).map(move |i| 64 * k as u64 + i))
            .sum();
        prop_assert_eq!(set_positions_naive(&words), model);
        prop_assert_eq!(set_positions_tzcnt(&words), model);
    }

    #[test]
    fn pext_and_pdep_match_their_models(x in any::<u64>(), mask in any::<u64>()) {
        prop_assert_eq!(pext_naive(x, mask), pext_model(x, mask));
        prop_assert_eq!(pext_portable(x, mask), pext_model(x, mask));
        prop_assert_eq!(pdep_portable(x, mask), pdep_model(x, mask));
        // Deposit then extract under the same mask gives back the low popcount(mask) bits.
        let low = if mask.count_ones() == 64 { x } else { x & ((1u64 << mask.count_ones()) - 1) };
        prop_assert_eq!(pext_portable(pdep_portable(x, mask), mask), low);
    }

    #[test]
    fn every_pext_and_pdep_implementation_agrees(xs in prop::collection::vec(any::<u64>(), 0..64), mask in any::<u64>()) {
        let pext_expected = xs.iter().fold(0, |a, &x| a ^ pext_model(x, mask));
        let pdep_expected = xs.iter().fold(0, |a, &x| a ^ pdep_model(x, mask));
        for how in [BitImpl::Naive, BitImpl::Portable, BitImpl::Bmi2] {
            prop_assert_eq!(bits::pext_all(&xs, mask, how), pext_expected, "{:?}", how);
            prop_assert_eq!(bits::pdep_all(&xs, mask, how), pdep_expected, "{:?}", how);
        }
    }

    #[test]
    fn swar_byte_search_finds_the_first_match(hay in prop::collection::vec(any::<u8>(), 0..100), needle in any::<u8>()) {
        let model = hay.iter().position(|&b| b == needle);
        prop_assert_eq!(find_byte_naive(&hay, needle), model);
        prop_assert_eq!(find_byte_swar(&hay, needle), model);
    }

    #[test]
    fn swar_byte_search_is_not_fooled_by_borrows(pos in 0usize..24, len in 25usize..40, needle in any::<u8>()) {
        // After the XOR with the needle, a match is a zero byte and the byte after it is 0x01:
        // the borrow out of the zero byte makes the trick flag that one too, falsely. The
        // lowest flag must still be the true match.
        let other = needle ^ 0x40;
        let mut hay = vec![other; len];
        hay[pos] = needle;
        hay[pos + 1] = needle ^ 1;
        prop_assert_eq!(find_byte_swar(&hay, needle), Some(pos));
    }

    #[test]
    fn bitset_membership_matches_a_hash_set(values in prop::collection::vec(0u32..1000, 0..200), queries in prop::collection::vec(0u32..1200, 0..100)) {
        let mut set = Bitset::new(1000);
        let model: HashSet<u32> = values.iter().copied().collect();
        for &v in &values {
            set.insert(v);
        }
        prop_assert_eq!(set.len(), model.len());
        prop_assert_eq!(set.is_empty(), model.is_empty());
        for q in queries {
            prop_assert_eq!(set.contains(q), model.contains(&q), "{}", q);
        }
    }
}

#[test]
fn byte_table_and_swar_match_count_ones_on_every_byte() {
    for b in 0..=255u8 {
        assert_eq!(u32::from(BYTE_ONES[usize::from(b)]), b.count_ones());
        let w = u64::from(b) * 0x0101_0101_0101_0101;
        assert_eq!(ones_swar(w), u64::from(w.count_ones()));
    }
    assert_eq!(ones_swar(u64::MAX), 64);
    assert_eq!(ones_swar(0), 0);
}

#[test]
fn the_benchmarked_filter_cases_agree_and_sorting_keeps_the_values() {
    for p in FILTER_PERCENTS {
        let mut a = FilterCase::random(4096, p, FILTER_SEED);
        let mut b = FilterCase::random(4096, p, FILTER_SEED);
        let na = a.run(Filter::Branchy);
        let nb = b.run(Filter::Branchless);
        assert_eq!(na, nb, "p{p}");
        assert_eq!(a.out[..na], b.out[..nb]);
        if p == 0 {
            assert_eq!(na, 0);
        }
        if p == 100 {
            assert_eq!(na, 4096);
        }
    }
    let random = FilterCase::random(4096, SORTED_PERCENT, FILTER_SEED);
    let mut sorted = FilterCase::sorted(4096, SORTED_PERCENT, FILTER_SEED);
    let mut values = random.input.clone();
    values.sort_unstable();
    assert_eq!(
        sorted.input, values,
        "the sorted case holds the same values"
    );
    let n = sorted.run(Filter::Branchy);
    assert!(sorted.out[..n].iter().all(|&x| x < THRESHOLD));
    assert!(sorted.input[n..].iter().all(|&x| x >= THRESHOLD));
}

#[test]
fn the_benchmarked_search_case_gives_one_answer_three_ways() {
    let case = SearchCase::new(SEARCH_LEN, SEARCH_QUERIES, SEARCH_SEED);
    assert!(case.keys.windows(2).all(|w| w[0] < w[1]));
    let model: usize = case
        .queries
        .iter()
        .map(|&q| case.keys.iter().take_while(|&&k| k < q).count())
        .sum();
    for s in [Search::Branchy, Search::Branchless, Search::Std] {
        assert_eq!(case.run(s), model, "{s:?}");
    }
}

#[test]
fn the_benchmarked_membership_case_gives_one_answer_three_ways() {
    let case = MemberCase::new(MEMBER_UNIVERSE, MEMBER_PERCENT, MEMBER_QUERIES, BITS_SEED);
    let hits = case.run(SetKind::HashSet);
    assert_eq!(case.run(SetKind::Bitset), hits);
    assert_eq!(case.run(SetKind::VecBool), hits);
    let share = hits as f64 / MEMBER_QUERIES as f64;
    assert!(
        (share - 0.25).abs() < 0.05,
        "about a quarter are members: {share}"
    );
    assert_eq!(case.bits.len(), case.hash.len());
}

#[test]
fn the_benchmarked_bit_inputs_are_what_the_cases_say() {
    let sparse = sparse_words(WORDS, ONES_PERCENT, BITS_SEED);
    let ones: u64 = sparse.iter().map(|w| u64::from(w.count_ones())).sum();
    let share = ones as f64 / (WORDS * 64) as f64;
    assert!((share - 0.10).abs() < 0.01, "{share}");
    assert_eq!(PEXT_MASK.count_ones(), 16);
    let hay = bits::haystack(FIND_LEN, 0, BITS_SEED);
    assert_eq!(find_byte_swar(&hay, 0), Some(FIND_LEN - 1));
    assert_eq!(find_byte_naive(&hay, 0), Some(FIND_LEN - 1));
}

#[test]
fn bmi2_detection_matches_the_target() {
    if cfg!(not(target_arch = "x86_64")) {
        assert!(
            !has_bmi2(),
            "no BMI2 outside x86-64: the portable path runs"
        );
    }
    let xs = random_u32s(64, 9)
        .into_iter()
        .map(u64::from)
        .collect::<Vec<_>>();
    assert_eq!(
        bits::pext_all(&xs, PEXT_MASK, BitImpl::Bmi2),
        bits::pext_all(&xs, PEXT_MASK, BitImpl::Naive)
    );
}

#[test]
fn chance_comes_true_as_often_as_its_percentage_says() {
    let mut r = Rng::new(2);
    assert!((0..1000).all(|_| !chance(&mut r, 0)));
    assert!((0..1000).all(|_| chance(&mut r, 100)));
    let hits = (0..10_000).filter(|_| chance(&mut r, 25)).count();
    // 2,500 expected, with a standard deviation of about 43.
    assert!((2300..2700).contains(&hits), "{hits}");
    assert_eq!(percent_case(25), "p25");
    assert!(FILTER_PERCENTS.windows(2).all(|w| w[0] < w[1]));
    assert!(FILTER_PERCENTS.contains(&SORTED_PERCENT));
}

#[test]
#[should_panic]
fn a_filter_with_too_small_an_output_panics() {
    let mut out = [0u32; 2];
    filter_branchless(&[1, 2, 3], THRESHOLD, &mut out);
}
