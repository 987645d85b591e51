//! Chapter 02's code against simple models: every function under measurement against a naive
//! or standard-library version, every wrong benchmark body against its right one (they must
//! compute the same values; only what the compiler may do with them differs), and the clock
//! and cache helpers against what they promise.

use std::cell::Cell;
use std::time::{Duration, Instant};

use ch02::cache::{Evictor, LINE, flush};
use ch02::cases::{
    CALLGRIND_CALLS, CHECKSUM_WORDS, FILTER_INPUTS, FILTER_LEN, KEY, KEYS_LEN, NUMBER, REPEATS,
    ROUNDS, SEED, SORTED_INPUTS, TIMESTAMPS_LEN, inputs_case, keys, rounds_case, timestamps, words,
};
use ch02::predict::Pool;
use ch02::timer::{ClockSteps, clock_steps, next_tick, time_each_call};
use ch02::work::{
    checksum, div_round, div_round_inline, hash, hash_rounds, keep_large, ns_to_us, parse_u64,
};
use proptest::prelude::*;

#[path = "../benches/bodies/mod.rs"]
mod bodies;

/// The inverse of `x ^ (x >> 33)`: applying the same step again, since the shifted-in bits
/// are shifted out by a second shift of 33.
fn unxorshift33(x: u64) -> u64 {
    x ^ (x >> 33)
}

/// The inverse of an odd number modulo 2^64, by Newton's iteration.
fn inverse(a: u64) -> u64 {
    let mut x = a;
    for _ in 0..6 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
    }
    x
}

/// `hash` undone step by step: it exists only if `hash` is a bijection.
fn unhash(mut x: u64) -> u64 {
    x = unxorshift33(x);
    x = x.wrapping_mul(inverse(0xc4ce_b9fe_1a85_ec53));
    x = unxorshift33(x);
    x = x.wrapping_mul(inverse(0xff51_afd7_ed55_8ccd));
    unxorshift33(x)
}

/// What `parse_u64` should return: the standard library's parse of plain digits.
fn parse_model(s: &[u8]) -> Option<u64> {
    if s.first() == Some(&b'+') {
        return None; // the standard library accepts a leading `+`; `parse_u64` does not
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn digits() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(b'0'..=b'9', 0..24)
}

proptest! {
    #[test]
    fn hash_is_a_bijection(x in any::<u64>()) {
        prop_assert_eq!(unhash(hash(x)), x);
    }

    #[test]
    fn hash_rounds_composes_hash(x in any::<u64>(), rounds in 0u32..40) {
        let model = (0..rounds).fold(x, |h, _| hash(h));
        prop_assert_eq!(hash_rounds(x, rounds), model);
        prop_assert_eq!(bodies::rounds_of_work(x, rounds), model);
    }

    #[test]
    fn parse_agrees_with_the_standard_library_on_digits(s in digits()) {
        prop_assert_eq!(parse_u64(&s), parse_model(&s));
    }

    #[test]
    fn parse_agrees_with_the_standard_library_on_any_bytes(s in prop::collection::vec(any::<u8>(), 0..24)) {
        prop_assert_eq!(parse_u64(&s), parse_model(&s));
    }

    #[test]
    fn checksum_is_the_wrapping_sum(words in prop::collection::vec(any::<u64>(), 0..300)) {
        let model = words.iter().fold(0u64, |a, &w| a.wrapping_add(w));
        prop_assert_eq!(checksum(&words), model);
    }

    #[test]
    fn keep_large_is_a_filter(values in prop::collection::vec(any::<u8>(), 0..300)) {
        let model: Vec<u8> = values.iter().copied().filter(|&v| v >= 128).collect();
        let mut out = vec![0u8; values.len()];
        let kept = keep_large(&values, &mut out);
        prop_assert_eq!(&out[..kept], &model[..]);
    }

    #[test]
    fn div_round_rounds_to_nearest(d in 1u64.., n in any::<u64>()) {
        prop_assume!(n.checked_add(d / 2).is_some());
        let model = ((u128::from(n) + u128::from(d) / 2) / u128::from(d)) as u64;
        prop_assert_eq!(div_round(n, d), model);
        prop_assert_eq!(div_round_inline(n, d), model);
        // Nearest: no other integer is closer to n / d.
        let err = (i128::from(model) * i128::from(d) - i128::from(n)).abs();
        prop_assert!(2 * err <= i128::from(d));
    }

    #[test]
    fn every_conversion_loop_converts_the_same(ns in prop::collection::vec(0u64..u64::MAX / 2, 0..200)) {
        let model: Vec<u64> = ns.iter().map(|&n| div_round(n, 1000)).collect();
        let mut a = vec![0; ns.len()];
        let mut b = vec![0; ns.len()];
        let mut c = vec![0; ns.len()];
        bodies::ns_to_us_calls(&ns, &mut a);
        bodies::ns_to_us_inline_hint(&ns, &mut b);
        ns_to_us(&ns, &mut c);
        prop_assert_eq!(&a, &model);
        prop_assert_eq!(&b, &model);
        prop_assert_eq!(&c, &model);
    }

    #[test]
    fn both_repeated_hashes_compute_the_same(key in any::<u64>()) {
        let model = hash(key).wrapping_mul(u64::from(REPEATS));
        prop_assert_eq!(bodies::hash_repeated(key), model);
        prop_assert_eq!(bodies::hash_repeated_guarded(key), model);
    }

    #[test]
    fn flushing_changes_no_byte(data in prop::collection::vec(any::<u8>(), 0..1000), skip in 0usize..70) {
        let copy = data.clone();
        // Unaligned slices too: the flush must cover the line of the last byte.
        let start = skip.min(data.len());
        flush(&data[start..]);
        flush(&data);
        prop_assert_eq!(data, copy);
    }

    #[test]
    fn clock_steps_summarise_their_differences(ns in prop::collection::vec(0u64..1000, 1..200)) {
        prop_assume!(ns.iter().any(|&n| n > 0));
        let diffs: Vec<Duration> = ns.iter().map(|&n| Duration::from_nanos(n)).collect();
        let s = ClockSteps::from_diffs(&diffs);
        let mut sorted = ns.clone();
        sorted.sort_unstable();
        prop_assert_eq!(s.steps, ns.len());
        prop_assert_eq!(s.equal, ns.iter().filter(|&&n| n == 0).count());
        prop_assert_eq!(s.min_step.as_nanos() as u64, *ns.iter().filter(|&&n| n > 0).min().unwrap());
        prop_assert_eq!(s.max_step.as_nanos() as u64, sorted[sorted.len() - 1]);
        prop_assert_eq!(s.median_step.as_nanos() as u64, sorted[sorted.len() / 2]);
        prop_assert!((s.equal_pct() - 100.0 * s.equal as f64 / ns.len() as f64).abs() < 1e-9);
    }
}

#[test]
fn hash_matches_known_values() {
    // fmix64 maps 0 to 0, and is not the identity elsewhere.
    assert_eq!(hash(0), 0);
    assert_ne!(hash(1), 1);
    assert_eq!(unhash(hash(u64::MAX)), u64::MAX);
    assert_eq!(hash_rounds(KEY, 0), KEY);
}

#[test]
fn the_dead_code_experiment_hashes_distinct_keys_to_distinct_hashes() {
    // Neither loop returns anything, so their hashes cannot be compared here; `hash` is checked
    // against its inverse above. What is checked here is the input: 1,024 different keys,
    // whose hashes are all different, so no hash can be reused from an earlier key.
    let k = keys();
    assert_eq!(k.len(), KEYS_LEN);
    let mut hashes: Vec<u64> = k.iter().map(|&x| hash(x)).collect();
    hashes.sort_unstable();
    hashes.dedup();
    assert_eq!(hashes.len(), KEYS_LEN);
    bodies::hash_each_discarded(&k);
    bodies::hash_each_guarded(&k);
    assert_eq!(k, keys(), "the same keys on every call");
}

#[test]
fn both_parses_of_the_constant_give_the_largest_u64() {
    assert_eq!(parse_u64(NUMBER), Some(u64::MAX));
    assert_eq!(bodies::parse_constant(), Some(u64::MAX));
    assert_eq!(bodies::parse_opaque(), Some(u64::MAX));
    assert_eq!(
        parse_u64(b"18446744073709551616"),
        None,
        "one past the largest"
    );
    assert_eq!(parse_u64(b""), None);
}

#[test]
#[should_panic(expected = "div_round overflows")]
fn div_round_refuses_to_overflow() {
    div_round(u64::MAX, 1000);
}

#[test]
fn the_pool_visits_its_inputs_in_turn() {
    let mut pool = Pool::random(3, 100, SEED);
    assert_eq!(pool.len(), 3);
    assert!(!pool.is_empty());
    let counts: Vec<usize> = pool
        .inputs()
        .iter()
        .map(|v| v.iter().filter(|&&b| b >= 128).count())
        .collect();
    for round in 0..7 {
        assert_eq!(pool.filter_next(), counts[round % 3], "call {round}");
    }
}

#[test]
fn the_sorted_control_holds_the_same_values_sorted() {
    let random = Pool::random(4, 64, SEED);
    let sorted = Pool::sorted(4, 64, SEED);
    for (r, s) in random.inputs().iter().zip(sorted.inputs()) {
        let mut model = r.clone();
        model.sort_unstable();
        assert_eq!(s, &model);
    }
}

#[test]
fn the_first_input_of_every_pool_is_the_same() {
    // The experiment varies only how many inputs a benchmark cycles through: the pool of one
    // input holds the first input of every larger pool.
    let one = Pool::random(1, FILTER_LEN, SEED);
    let many = Pool::random(256, FILTER_LEN, SEED);
    assert_eq!(one.inputs()[0], many.inputs()[0]);
    assert_ne!(many.inputs()[0], many.inputs()[1]);
}

#[test]
#[should_panic(expected = "at least one input")]
fn an_empty_pool_is_refused() {
    let _ = Pool::random(0, 10, SEED);
}

#[test]
fn half_of_every_pool_is_kept() {
    // The branch of `keep_large` is taken for about half the bytes: unpredictable at best.
    let pool = Pool::random(256, FILTER_LEN, SEED);
    let kept: usize = pool
        .inputs()
        .iter()
        .map(|v| v.iter().filter(|&&b| b >= 128).count())
        .sum();
    let total = 256 * FILTER_LEN;
    assert!(kept.abs_diff(total / 2) < total / 100, "{kept} of {total}");
}

#[test]
fn time_each_call_calls_once_per_iteration_and_adds_up() {
    let calls = Cell::new(0u64);
    let before = Instant::now();
    let total = time_each_call(1000, || calls.set(calls.get() + 1));
    let outside = before.elapsed();
    assert_eq!(calls.get(), 1000);
    assert!(total <= outside, "{total:?} measured inside {outside:?}");
}

#[test]
fn next_tick_returns_a_later_reading_and_keeps_it() {
    let mut last = Instant::now();
    let first = last;
    let t = next_tick(&mut last);
    assert!(t > first);
    assert_eq!(last, t);
    assert!(next_tick(&mut last) > t);
}

#[test]
fn the_clock_moves_between_readings() {
    let s = clock_steps(10_000);
    assert_eq!(s.steps, 9_999);
    assert!(s.min_step > Duration::ZERO);
    assert!(s.min_step <= s.median_step && s.median_step <= s.max_step);
    let m = s.metrics();
    assert_eq!(m[4], ("readings", 10_000.0));
    assert!(m.iter().all(|(_, v)| v.is_finite() && *v >= 0.0));
}

#[test]
#[should_panic(expected = "no non-zero difference")]
fn a_clock_that_never_moves_has_no_step() {
    let _ = ClockSteps::from_diffs(&[Duration::ZERO; 3]);
}

#[test]
fn the_evictor_reads_one_byte_per_line() {
    let e = Evictor::new(10 * LINE + 1);
    assert_eq!(e.len(), 10 * LINE + 1);
    assert!(!e.is_empty());
    // Byte i holds i as u8; the evictor reads bytes 0, 64, ..., 640.
    let model: u64 = (0..=10).map(|l| u64::from((l * LINE) as u8)).sum();
    assert_eq!(e.evict(), model);
    assert_eq!(Evictor::new(0).evict(), 0);
}

#[test]
fn the_cases_are_what_the_page_says() {
    assert_eq!(words().len(), CHECKSUM_WORDS);
    assert_eq!(CHECKSUM_WORDS * 8, 16 << 10, "16 KiB");
    assert_eq!(NUMBER.len(), 20);
    let ts = timestamps();
    assert_eq!(ts.len(), TIMESTAMPS_LEN);
    assert!(
        ts.iter().all(|&t| t > u64::from(u32::MAX)),
        "all need 64 bits"
    );
    assert!(FILTER_INPUTS.windows(2).all(|w| w[0] < w[1]));
    assert!(SORTED_INPUTS.iter().all(|n| FILTER_INPUTS.contains(n)));
    assert!(FILTER_INPUTS.contains(&CALLGRIND_CALLS));
    assert!(ROUNDS.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(inputs_case(16), "inputs16");
    assert_eq!(rounds_case(4096), "rounds4096");
}
