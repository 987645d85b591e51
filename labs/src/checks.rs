//! The correctness checks of every lab, run on [`crate::mine`]: each returns what is wrong (an
//! empty list when nothing is). `tests/labs.rs` runs them as tests and the grader runs them
//! before it counts anything, so a fast version that is wrong is never graded as fast.
//!
//! The expected answers come from the starting code where it defines the result exactly
//! (lab 1's draws, lab 2's function), and otherwise from a plain implementation written here.

use std::collections::BTreeMap;

use inputs::Rng;

use crate::mine;
use crate::start;
use crate::work;

/// What one check found wrong.
pub type Failures = Vec<String>;

fn expect(failures: &mut Failures, ok: bool, what: impl FnOnce() -> String) {
    if !ok {
        failures.push(what());
    }
}

/// Lab 1: the same interval as the starting code, for every sample count and seed tried.
pub fn lab01() -> Failures {
    let mut f = Vec::new();
    let sets: Vec<Vec<f64>> = vec![
        vec![3.0],
        vec![2.0, 1.0],
        vec![5.0, 5.0, 5.0],
        vec![4.0, -1.0, 0.0, -0.5, 9.0, 2.5],
        (0..10).map(|i| f64::from(i % 3)).collect(),
        work::lab01_samples(),
    ];
    for (k, s) in sets.iter().enumerate() {
        for (seed, resamples) in [(1, 1), (2, 7), (3, 40), (4, 101)] {
            let got = mine::lab01::median_interval(s, resamples, &mut Rng::new(seed));
            let want = start::lab01::median_interval(s, resamples, &mut Rng::new(seed));
            expect(&mut f, got == want, || {
                format!(
                    "median_interval(set {k} of {} samples, {resamples} resamples, seed {seed}) = {got:?}, expected {want:?}",
                    s.len()
                )
            });
        }
    }
    f
}

/// Lab 2: `checksum` unchanged, and the benchmark's body runs on the benchmark's input.
pub fn lab02() -> Failures {
    let mut f = Vec::new();
    for words in [vec![], vec![1], (0..1000).collect::<Vec<u64>>()] {
        let got = mine::lab02::checksum(&words);
        let want = start::lab02::checksum(&words);
        expect(&mut f, got == want, || {
            format!(
                "checksum of {} words = {got:#x}, expected {want:#x}: leave the function under test as it is",
                words.len()
            )
        });
    }
    expect(&mut f, mine::lab02::N == start::lab02::N, || {
        format!(
            "N = {}, expected {}: the benchmark is about N words",
            mine::lab02::N,
            start::lab02::N
        )
    });
    let input = mine::lab02::setup();
    mine::lab02::bench(&input);
    f
}

/// The `k` most frequent words, computed plainly.
fn top_words(text: &str, k: usize) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for w in text.split_whitespace() {
        *counts.entry(w.to_ascii_lowercase()).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(k);
    v
}

/// Lab 3: the right words, counts and order, ties included.
pub fn lab03() -> Failures {
    let mut f = Vec::new();
    let text = work::lab03_text();
    let cases: Vec<(&str, usize)> = vec![
        ("", 3),
        ("one", 0),
        ("b a c b a", 5),
        ("Stone stone STONE\tsky  sky\nsea", 2),
        ("z y x w", 2),
        (&text, work::LAB03_TOP),
        (&text, 100_000),
    ];
    for (text, k) in cases {
        let got = mine::lab03::top_words(text, k);
        let want = top_words(text, k);
        expect(&mut f, got == want, || {
            let shown: String = text.chars().take(40).collect();
            format!(
                "top_words({shown:?}…, {k}) = {:?}…, expected {:?}…",
                &got[..got.len().min(4)],
                &want[..want.len().min(4)]
            )
        });
    }
    f
}

/// Lab 4: every quantile within 1% of the exact one, the count exact.
pub fn lab04() -> Failures {
    let mut f = Vec::new();
    let empty = mine::lab04::Recorder::new();
    expect(
        &mut f,
        empty.count() == 0 && empty.quantile(0.5) == 0,
        || "an empty recorder must count 0 and answer 0".into(),
    );
    let sets: Vec<Vec<u64>> = vec![
        vec![7],
        (0..300).collect(),
        (0..1000).map(|i| (i * 7919) % 1000).collect(),
        vec![u64::MAX, 1, u64::MAX / 3],
        work::lab04_latencies(),
    ];
    for (k, set) in sets.iter().enumerate() {
        let mut r = mine::lab04::Recorder::new();
        for &v in set {
            r.record(v);
        }
        expect(&mut f, r.count() == set.len() as u64, || {
            format!("set {k}: count() = {}, expected {}", r.count(), set.len())
        });
        let mut sorted = set.clone();
        sorted.sort_unstable();
        for q in [0.001, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0] {
            let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            let want = sorted[rank - 1];
            let got = r.quantile(q);
            let err = (got as f64 - want as f64).abs();
            expect(&mut f, err <= want as f64 / 100.0, || {
                format!(
                    "set {k} of {} values: quantile({q}) = {got}, exact {want}: more than 1% off",
                    set.len()
                )
            });
        }
    }
    f
}

/// Lab 5: the transpose of every shape tried, square and not a multiple of any tile.
pub fn lab05() -> Failures {
    let mut f = Vec::new();
    for n in [0usize, 1, 2, 3, 17, 64, 100, 129] {
        let src: Vec<u32> = (0..(n * n) as u32)
            .map(|x| x.wrapping_mul(2_654_435_761))
            .collect();
        let mut dst = vec![0; n * n];
        mine::lab05::transpose(n, &src, &mut dst);
        let wrong = (0..n * n).find(|&k| dst[(k % n) * n + k / n] != src[k]);
        expect(&mut f, wrong.is_none(), || {
            let k = wrong.unwrap_or(0);
            format!(
                "transpose of {n} by {n}: dst[{}][{}] is not src[{}][{}]",
                k % n,
                k / n,
                k / n,
                k % n
            )
        });
    }
    f
}

/// Lab 6: every particle comes back as it was stored; counts as a plain scan finds them.
pub fn lab06() -> Failures {
    let mut f = Vec::new();
    for len in [0usize, 1, 3, 1000] {
        let ps = work::lab06_particles(len, 0x1ab0_6002 + len as u64);
        let stored = mine::lab06::Particles::new(&ps);
        expect(
            &mut f,
            stored.len() == len && stored.is_empty() == (len == 0),
            || format!("{len} particles stored: len() = {}", stored.len()),
        );
        if let Some(i) = (0..len).find(|&i| stored.get(i) != ps[i]) {
            f.push(format!(
                "{len} particles stored: get({i}) is not the particle stored"
            ));
        }
        for t in [-1.0, 0.0, 2.5, work::LAB06_THRESHOLD, 9.99, 11.0] {
            let want = ps.iter().filter(|p| p.mass > t).count();
            let got = stored.count_heavier(t);
            expect(&mut f, got == want, || {
                format!("{len} particles: count_heavier({t}) = {got}, expected {want}")
            });
        }
    }
    f
}

/// Lab 7: the values kept, in order, after what `out` held.
pub fn lab07() -> Failures {
    let mut f = Vec::new();
    let random = work::lab07_values();
    let cases: Vec<(Vec<u32>, u32)> = vec![
        (vec![], 5),
        (vec![4, 5, 6, 1], 5),
        (vec![u32::MAX, 0], u32::MAX),
        (vec![3, 3, 3], 0),
        (random, work::LAB07_LIMIT),
    ];
    for (values, limit) in cases {
        let mut out = vec![42, 43];
        mine::lab07::keep_below(&values, limit, &mut out);
        let mut want = vec![42, 43];
        want.extend(values.iter().copied().filter(|&v| v < limit));
        expect(&mut f, out == want, || {
            format!(
                "keep_below({} values, limit {limit}) after [42, 43]: {} values in out, expected {}",
                values.len(),
                out.len(),
                want.len()
            )
        });
    }
    f
}

/// Lab 8: the sum within a relative `1e-5` of the exact one, for every length tried.
pub fn lab08() -> Failures {
    let mut f = Vec::new();
    let all = work::lab08_values();
    for len in [0usize, 1, 7, 15, 16, 17, 33, 1000, all.len()] {
        let v = &all[..len];
        let exact: f64 = v.iter().map(|&x| f64::from(x)).sum();
        let got = f64::from(mine::lab08::sum(v));
        expect(
            &mut f,
            (got - exact).abs() <= 1e-5 * exact.max(f64::MIN_POSITIVE),
            || format!("sum of {len} values = {got}, exact {exact}"),
        );
    }
    f
}

/// Lab 9: the total area within a relative `1e-9` of the exact one; every shape held.
pub fn lab09() -> Failures {
    let mut f = Vec::new();
    for len in [0usize, 1, 2, 3, 100, work::LAB09_SHAPES] {
        let specs = work::lab09_specs(len, 0x1ab0_9002 + len as u64);
        let exact: f64 = specs.iter().map(|s| s.area()).sum();
        let scene = mine::lab09::Scene::new(&specs);
        expect(
            &mut f,
            scene.len() == len && scene.is_empty() == (len == 0),
            || format!("a scene of {len} shapes: len() = {}", scene.len()),
        );
        let got = scene.total_area();
        expect(
            &mut f,
            (got - exact).abs() <= 1e-9 * exact.max(f64::MIN_POSITIVE),
            || format!("total_area of {len} shapes = {got}, exact {exact}"),
        );
    }
    f
}

/// A lab's check.
pub type Check = fn() -> Failures;

/// Every lab's check, by lab name.
pub const ALL: [(&str, Check); 9] = [
    ("lab01", lab01),
    ("lab02", lab02),
    ("lab03", lab03),
    ("lab04", lab04),
    ("lab05", lab05),
    ("lab06", lab06),
    ("lab07", lab07),
    ("lab08", lab08),
    ("lab09", lab09),
];
