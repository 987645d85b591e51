//! Chapter 01's code against simple models: the statistics against their definitions, the
//! workloads against the standard library, the layout kernel against a naive sum.

use bookproto::Id;
use ch01::cases::{PITCHES, SAMPLE_COUNTS, SORT_LEN, SORT_SEED, all};
use ch01::layout::{COLS, Grid, ROWS, column_sums};
use ch01::stats::{amdahl, bootstrap_median_ci, compare_medians, mad, mean, median, quantile};
use ch01::workload::{SortAlgo, random_u32s, sort_workload};
use proptest::prelude::*;

fn samples() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(1.0f64..1e6, 1..60)
}

proptest! {
    #[test]
    fn median_is_the_middle_order_statistic(xs in samples()) {
        let mut s = xs.clone();
        s.sort_by(f64::total_cmp);
        let n = s.len();
        let model = if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 };
        prop_assert_eq!(median(&xs), model);
        let below = xs.iter().filter(|&&x| x <= median(&xs)).count();
        prop_assert!(2 * below >= n);
    }

    #[test]
    fn quantiles_are_monotone_and_bounded(xs in samples(), a in 0.0f64..=1.0, b in 0.0f64..=1.0) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(quantile(&xs, lo) <= quantile(&xs, hi));
        let min = xs.iter().copied().fold(f64::MAX, f64::min);
        let max = xs.iter().copied().fold(f64::MIN, f64::max);
        prop_assert_eq!(quantile(&xs, 0.0), min);
        prop_assert_eq!(quantile(&xs, 1.0), max);
        prop_assert!((quantile(&xs, 0.5) - median(&xs)).abs() <= 1e-9 * max);
    }

    #[test]
    fn one_outlier_moves_the_mean_but_barely_the_median(xs in prop::collection::vec(100.0f64..200.0, 11..40)) {
        let mut with = xs.clone();
        with.push(1e9);
        prop_assert!(mean(&with) > 1e9 / with.len() as f64);
        prop_assert!(median(&with) <= 200.0);
        prop_assert!(mad(&with) <= 100.0);
    }

    #[test]
    fn bootstrap_interval_is_ordered_and_within_the_data(xs in samples(), seed in any::<u64>()) {
        let ci = bootstrap_median_ci(&xs, 200, 0.95, seed);
        let min = xs.iter().copied().fold(f64::MAX, f64::min);
        let max = xs.iter().copied().fold(f64::MIN, f64::max);
        prop_assert!(min <= ci.lo && ci.lo <= ci.hi && ci.hi <= max);
        prop_assert!(ci.half_width() >= 0.0);
    }

    #[test]
    fn a_version_compared_with_itself_is_not_different(xs in prop::collection::vec(1.0f64..1e3, 2..40), seed in any::<u64>()) {
        let (ratio, ci) = compare_medians(&xs, &xs, 300, seed);
        prop_assert_eq!(ratio, 1.0);
        prop_assert!(ci.contains(1.0));
    }

    #[test]
    fn amdahl_is_bounded_by_the_serial_part(p in 0.0f64..0.99, s in 1.0f64..1e6) {
        let speedup = amdahl(p, s);
        prop_assert!(speedup >= 1.0 - 1e-12);
        prop_assert!(speedup <= 1.0 / (1.0 - p) + 1e-9);
        prop_assert!(amdahl(p, s * 2.0) >= speedup);
    }

    #[test]
    fn both_sorts_sort_and_agree(v in prop::collection::vec(any::<u32>(), 0..500)) {
        let mut a = v.clone();
        let mut b = v.clone();
        let mut model = v.clone();
        model.sort();
        let ca = sort_workload(&mut a, SortAlgo::Stable);
        let cb = sort_workload(&mut b, SortAlgo::Unstable);
        prop_assert_eq!(&a, &model);
        prop_assert_eq!(&b, &model);
        prop_assert_eq!(ca, cb);
    }
}

#[test]
fn the_checksum_notices_a_misordering() {
    let weighted = |v: &[u32]| -> u64 {
        v.iter()
            .enumerate()
            .map(|(i, &x)| (i as u64 + 1) * u64::from(x))
            .sum()
    };
    let mut v = vec![3, 1, 2];
    let sum = sort_workload(&mut v, SortAlgo::Unstable);
    assert_eq!(sum, weighted(&[1, 2, 3]));
    assert_ne!(
        sum,
        weighted(&[2, 1, 3]),
        "a swapped pair changes the checksum"
    );
}

#[test]
fn the_sort_input_is_fixed_by_its_seed_and_has_distinct_values_to_order() {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    assert_eq!(input, random_u32s(SORT_LEN, SORT_SEED));
    assert_eq!(input, inputs::random_u32s(SORT_LEN, SORT_SEED));
    let mut distinct = input.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(distinct.len() > SORT_LEN - 8, "{} distinct", distinct.len());
}

#[test]
fn the_bootstrap_is_fixed_by_its_seed() {
    let xs: Vec<f64> = (1..=50).map(f64::from).collect();
    let a = bootstrap_median_ci(&xs, 200, 0.95, 3);
    let b = bootstrap_median_ci(&xs, 200, 0.95, 3);
    assert_eq!((a.lo, a.hi), (b.lo, b.hi));
}

#[test]
fn medians_and_amdahl_on_known_values() {
    assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), 1.0);
    assert_eq!(amdahl(0.0, 10.0), 1.0);
    assert_eq!(amdahl(1.0, 4.0), 4.0);
    assert_eq!(amdahl(0.5, f64::INFINITY), 2.0);
}

#[test]
fn column_sums_match_a_naive_sum_at_every_pitch() {
    for pitch in PITCHES {
        let grid = Grid::new(pitch);
        assert_eq!(grid.pitch_bytes(), pitch);
        let mut model = [0u32; COLS];
        for (c, m) in model.iter_mut().enumerate() {
            *m = (0..ROWS).map(|r| (r * COLS + c) as u32).sum();
        }
        assert_eq!(grid.run(), model, "pitch {pitch}");
    }
    let data: Vec<u32> = (0..32).collect();
    let sums = column_sums(&data, 16);
    assert_eq!(sums[0], 16);
    assert_eq!(sums[15], 15 + 31);
}

#[test]
#[should_panic(expected = "not a whole number of u32")]
fn a_pitch_shorter_than_a_row_is_refused() {
    let _ = Grid::new(32);
}

#[test]
fn case_lists_are_well_formed() {
    assert!(PITCHES.windows(2).all(|w| w[0] < w[1]));
    assert!(PITCHES.iter().all(|p| p % 4 == 0 && *p >= COLS * 4));
    let cases = all();
    let pitch = cases
        .iter()
        .find(|c| c.id == Id::new("layout", "column_sums", "pitch4096"))
        .expect("a case for every pitch");
    assert_eq!(pitch.usize("pitch"), 4096);
    for p in PITCHES {
        let id = Id::new("layout", "column_sums", &format!("pitch{p}"));
        assert!(cases.iter().any(|c| c.id == id), "{id}");
    }
    assert!(SAMPLE_COUNTS.windows(2).all(|w| w[0] < w[1]) && SAMPLE_COUNTS[0] >= 10);
}

#[test]
fn the_amdahl_question_has_the_answer_the_page_gives() {
    // Question 5 of the chapter: a fifth of the time, made ten times faster.
    let bound = 1.0 / (1.0 - 0.2);
    assert!((amdahl(0.2, f64::INFINITY) - bound).abs() < 1e-12);
    assert!(amdahl(0.2, 10.0) < bound);
    assert!((bound - 1.25).abs() < 1e-12);
}

#[test]
fn the_square_root_law_holds_for_independent_samples_and_fails_for_a_drift() {
    use ch01::stats::{block_ci_rel, shuffled};
    // 640 independent draws: a uniform spread of ±10% around 100, from a seeded generator.
    let mut rng = inputs::Rng::new(7);
    let iid: Vec<f64> = (0..640)
        .map(|_| 90.0 + 20.0 * rng.below(1_000_000) as f64 / 1e6)
        .collect();
    let ratio = |xs: &[f64]| block_ci_rel(xs, 160, 500, 1) / block_ci_rel(xs, 10, 500, 1);
    // Sixteen times the samples: a quarter of the width, give or take the bootstrap's noise.
    let r = ratio(&iid);
    assert!((0.15..0.4).contains(&r), "independent samples: {r}");
    // A machine that changes speed at random moments of the run: runs of 120 samples at one of
    // two speeds, 10% apart, with the same small noise. A block of 10 mostly sits inside one run,
    // a block of 160 straddles a change, and its interval no longer narrows as the law says.
    let mut level = 100.0;
    let drift: Vec<f64> = (0..640)
        .map(|i| {
            if i % 120 == 0 {
                level = if rng.below(2) == 0 { 100.0 } else { 110.0 };
            }
            level + rng.below(1_000) as f64 / 1e3
        })
        .collect();
    let measured = ratio(&drift);
    let mixed = ratio(&shuffled(&drift, 3));
    assert!(measured > 0.5, "drifting samples in order: {measured}");
    assert!(
        (0.1..0.45).contains(&mixed),
        "the same samples shuffled: {mixed}"
    );
}

#[test]
fn a_shuffle_is_a_permutation() {
    let xs: Vec<f64> = (0..100).map(f64::from).collect();
    let mut s = ch01::stats::shuffled(&xs, 9);
    assert_ne!(s, xs);
    s.sort_by(f64::total_cmp);
    assert_eq!(s, xs);
}

/// The child the hidden-variable tests start: this test binary again, running only this.
#[test]
#[ignore = "not a test: the program the hidden-variable test starts as its child"]
fn hidden_child() {
    ch01::hidden::run_child(256, 1, std::time::Duration::from_millis(2));
}

fn hidden_child_command() -> std::process::Command {
    let mut c = std::process::Command::new(std::env::current_exe().unwrap());
    c.args([
        "hidden_child",
        "--exact",
        "--ignored",
        "--test-threads=1",
        "--nocapture",
    ]);
    c
}

#[test]
fn the_environment_moves_the_stack_and_nothing_else_when_aslr_is_off() {
    use ch01::hidden::spawn;
    let Ok(a) = spawn(&mut hidden_child_command(), 3, 0, false) else {
        eprintln!("personality(ADDR_NO_RANDOMIZE) is refused here (a container's policy?)");
        return;
    };
    let again = spawn(&mut hidden_child_command(), 3, 0, false).unwrap();
    let padded = spawn(&mut hidden_child_command(), 3, 128, false).unwrap();
    assert!(a.median_ns > 0.0);
    // Without randomisation the same command runs at the same addresses...
    assert_eq!(a.stack_offset, again.stack_offset);
    assert_eq!(a.heap_offset, again.heap_offset);
    // ...and 128 more bytes of environment move the stack down by exactly 128.
    assert_eq!((a.stack_offset + 4096 - padded.stack_offset) % 4096, 128);
    assert_eq!(a.heap_offset, padded.heap_offset);
}

#[test]
fn hidden_reports_read_back_and_environments_are_counted() {
    use ch01::hidden::{Report, env_bytes};
    let r = Report {
        median_ns: 1234.5,
        stack_offset: 17,
        heap_offset: 4095,
        env_bytes: 2900,
    };
    assert_eq!(Report::parse(&r.to_line()), Some(r));
    assert_eq!(Report::parse("hidden 1 2 3"), None);
    assert_eq!(Report::parse("hidden 1 2 3 4 5"), None);
    assert_eq!(Report::parse("other 1 2 3 4"), None);
    // "A=bc\0" and "D=\0".
    assert_eq!(env_bytes([("A", "bc"), ("D", "")]), 5 + 3);
}

#[test]
fn hidden_schedule_runs_every_child_once_with_the_controls_spread_through_the_sweep() {
    use ch01::hidden::{Child, schedule};
    let envs = 33;
    let controls = 8;
    let order = schedule(envs, controls, 7);
    assert_eq!(order.len(), envs + 2 * controls);
    let mut sizes: Vec<usize> = order
        .iter()
        .filter_map(|c| match c {
            Child::Env(i) => Some(*i),
            _ => None,
        })
        .collect();
    // The sizes are not in their declared order...
    assert_ne!(sizes, (0..envs).collect::<Vec<_>>());
    // ...but each appears once.
    sizes.sort_unstable();
    assert_eq!(sizes, (0..envs).collect::<Vec<_>>());
    // Control k: a repeat and a randomised run side by side, in order of k.
    let at = |want: Child| order.iter().position(|&c| c == want).unwrap();
    let mut before = Vec::new();
    for k in 0..controls {
        let r = at(Child::Repeat(k));
        assert_eq!(at(Child::Aslr(k)), r + 1);
        // How many sizes ran before it.
        before.push(
            order[..r]
                .iter()
                .filter(|c| matches!(c, Child::Env(_)))
                .count(),
        );
    }
    // Spread evenly: the first after about half a stretch of envs / controls sizes, the
    // stretches between them equal to within one size, the last before the sweep ends.
    let stretch = envs / controls;
    assert!(before[0] >= 1 && before[0] <= stretch);
    for w in before.windows(2) {
        let gap = w[1] - w[0];
        assert!(gap == stretch || gap == stretch + 1, "{before:?}");
    }
    assert!(before[controls - 1] < envs);
    // A different seed, a different order of sizes; the same places for the controls.
    let other = schedule(envs, controls, 8);
    assert_ne!(order, other);
}
