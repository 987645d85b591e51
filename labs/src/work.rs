//! Every lab's input and the call the grader measures, shared by the instruction-count harness
//! (`benches/grade.rs`), the probe (`benches/probe.rs`) and the checks. The inputs are seeded, so
//! every run of every version sees the same values.

use inputs::Rng;

/// Measurements per lab 1 bootstrap: the samples resampled, and how often.
pub const LAB01_SAMPLES: usize = 201;
/// Resamples of lab 1's bootstrap.
pub const LAB01_RESAMPLES: usize = 200;
/// The seed of lab 1's resampling generator.
pub const LAB01_SEED: u64 = 0x1ab0_1000;
/// Words of lab 3's text, and how many distinct words it draws them from.
pub const LAB03_WORDS: usize = 8_000;
/// Distinct words of lab 3's text.
pub const LAB03_VOCABULARY: usize = 1_000;
/// Most frequent words lab 3 asks for.
pub const LAB03_TOP: usize = 10;
/// Latencies lab 4 records.
pub const LAB04_RECORDS: usize = 20_000;
/// The quantiles lab 4 asks for after recording.
pub const LAB04_QUANTILES: [f64; 5] = [0.5, 0.9, 0.99, 0.999, 1.0];
/// Side of lab 5's square matrices.
pub const LAB05_N: usize = 512;
/// Particles of lab 6.
pub const LAB06_PARTICLES: usize = 65_536;
/// Values lab 7 filters.
pub const LAB07_VALUES: usize = 65_536;
/// Values lab 8 sums.
pub const LAB08_VALUES: usize = 65_536;
/// Shapes of lab 9's scene.
pub const LAB09_SHAPES: usize = 20_000;

/// Lab 1's measurements: positive, right-skewed, like timings.
pub fn lab01_samples() -> Vec<f64> {
    let mut rng = Rng::new(0x1ab0_1001);
    (0..LAB01_SAMPLES)
        .map(|_| {
            let u = f64::from(rng.next_f32());
            100.0 + 20.0 * u * u * u
        })
        .collect()
}

/// Lab 3's text: lowercase words with now and then a capitalised one, in lines.
pub fn lab03_text() -> String {
    let mut rng = Rng::new(0x1ab0_3001);
    let vocabulary: Vec<String> = (0..LAB03_VOCABULARY)
        .map(|_| {
            let len = 3 + rng.below(7) as usize;
            (0..len)
                .map(|_| char::from(b'a' + rng.below(26) as u8))
                .collect()
        })
        .collect();
    let mut text = String::new();
    for i in 0..LAB03_WORDS {
        // Squaring a uniform draw makes early words of the vocabulary more frequent.
        let u = f64::from(rng.next_f32());
        let word = &vocabulary[((u * u) * LAB03_VOCABULARY as f64) as usize % LAB03_VOCABULARY];
        if rng.below(8) == 0 {
            let mut w = word.clone();
            w[..1].make_ascii_uppercase();
            text.push_str(&w);
        } else {
            text.push_str(word);
        }
        text.push(if i % 12 == 11 { '\n' } else { ' ' });
    }
    text
}

/// Lab 4's latencies: a body near a few microseconds and a long tail.
pub fn lab04_latencies() -> Vec<u64> {
    let mut rng = Rng::new(0x1ab0_4001);
    (0..LAB04_RECORDS)
        .map(|_| {
            let u = f64::from(rng.next_f32());
            2_000 + (1_000_000.0 * u.powi(8)) as u64 + rng.below(500)
        })
        .collect()
}

/// Lab 5's source matrix and a destination to write.
pub fn lab05_matrices() -> (Vec<u32>, Vec<u32>) {
    let n = LAB05_N;
    ((0..(n * n) as u32).collect(), vec![0; n * n])
}

/// Lab 6's particle, as the simulation hands it over: one 64-byte record. Every version of
/// lab 6 stores these; only how it stores them is the lab's to change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Particle {
    /// Position.
    pub position: [f32; 3],
    /// Velocity.
    pub velocity: [f32; 3],
    /// Mass.
    pub mass: f32,
    /// Electric charge.
    pub charge: f32,
    /// Identifier.
    pub id: u64,
    /// A label.
    pub tag: [u8; 24],
}

/// Lab 6's particles.
pub fn lab06_particles(len: usize, seed: u64) -> Vec<Particle> {
    let mut rng = Rng::new(seed);
    (0..len)
        .map(|i| {
            let mut f = || rng.next_f32();
            let position = [f(), f(), f()];
            let velocity = [f(), f(), f()];
            let mass = f() * 10.0;
            let charge = f() - 0.5;
            let mut tag = [0u8; 24];
            tag[..8].copy_from_slice(&(i as u64).to_le_bytes());
            Particle {
                position,
                velocity,
                mass,
                charge,
                id: i as u64,
                tag,
            }
        })
        .collect()
}

/// The mass threshold lab 6 counts above: half the particles are heavier.
pub const LAB06_THRESHOLD: f32 = 5.0;

/// Lab 7's values: uniform, so that half are kept.
pub fn lab07_values() -> Vec<u32> {
    inputs::random_u32s(LAB07_VALUES, 0x1ab0_7001)
}

/// The limit lab 7 keeps values below: the middle of the range.
pub const LAB07_LIMIT: u32 = u32::MAX / 2;

/// Lab 8's values, in `[0, 1)`.
pub fn lab08_values() -> Vec<f32> {
    inputs::random_f32s(LAB08_VALUES, 0x1ab0_8001)
}

/// Lab 9's shape, as a scene description lists it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Spec {
    /// A circle of this radius.
    Circle(f64),
    /// A square of this side.
    Square(f64),
    /// A rectangle of this width and height.
    Rect(f64, f64),
}

impl Spec {
    /// Its area, computed plainly.
    pub fn area(self) -> f64 {
        match self {
            Spec::Circle(r) => std::f64::consts::PI * r * r,
            Spec::Square(s) => s * s,
            Spec::Rect(w, h) => w * h,
        }
    }
}

/// Lab 9's shapes, in a random order of kinds.
pub fn lab09_specs(len: usize, seed: u64) -> Vec<Spec> {
    let mut rng = Rng::new(seed);
    (0..len)
        .map(|_| {
            let kind = rng.below(3);
            let a = 1.0 + f64::from(rng.next_f32());
            let b = 1.0 + f64::from(rng.next_f32());
            match kind {
                0 => Spec::Circle(a),
                1 => Spec::Square(a),
                _ => Spec::Rect(a, b),
            }
        })
        .collect()
}

/// Declares, for one module of implementations, each lab's prepared input and the call that
/// is measured on it. Preparing is never measured; what a call returns is dropped after
/// measuring stops.
macro_rules! runs {
    ($m:ident) => {
        #[doc = concat!("Every lab's input prepared for, and measured call of, `crate::", stringify!($m), "`.")]
        // Every measured call takes `&mut` its prepared input, whatever the input is, so that
        // the harnesses can call them all alike.
        #[allow(clippy::ptr_arg)]
        pub mod $m {
            use super::*;
            use crate::$m as imp;

            /// Lab 1's samples and resampling generator.
            pub fn lab01_prepare() -> (Vec<f64>, Rng) {
                (lab01_samples(), Rng::new(LAB01_SEED))
            }
            /// Lab 1's measured call.
            pub fn lab01_run(input: &mut (Vec<f64>, Rng)) -> (f64, f64) {
                imp::lab01::median_interval(&input.0, LAB01_RESAMPLES, &mut input.1)
            }
            /// Lab 2's input, from the benchmark's own setup.
            pub fn lab02_prepare() -> Vec<u64> {
                imp::lab02::setup()
            }
            /// Lab 2's measured call: the benchmark's body.
            pub fn lab02_run(input: &mut Vec<u64>) {
                imp::lab02::bench(input)
            }
            /// Lab 3's text.
            pub fn lab03_prepare() -> String {
                lab03_text()
            }
            /// Lab 3's measured call.
            pub fn lab03_run(text: &mut String) -> Vec<(String, usize)> {
                imp::lab03::top_words(text, LAB03_TOP)
            }
            /// Lab 4's latencies.
            pub fn lab04_prepare() -> Vec<u64> {
                lab04_latencies()
            }
            /// Lab 4's measured call: record every latency, then ask for each quantile.
            pub fn lab04_run(latencies: &mut Vec<u64>) -> [u64; LAB04_QUANTILES.len()] {
                let mut r = imp::lab04::Recorder::new();
                for &l in latencies.iter() {
                    r.record(l);
                }
                LAB04_QUANTILES.map(|q| r.quantile(q))
            }
            /// Lab 5's matrices.
            pub fn lab05_prepare() -> (Vec<u32>, Vec<u32>) {
                lab05_matrices()
            }
            /// Lab 5's measured call.
            pub fn lab05_run(m: &mut (Vec<u32>, Vec<u32>)) {
                imp::lab05::transpose(LAB05_N, &m.0, &mut m.1)
            }
            /// Lab 6's particles, stored.
            pub fn lab06_prepare() -> imp::lab06::Particles {
                imp::lab06::Particles::new(&lab06_particles(LAB06_PARTICLES, 0x1ab0_6001))
            }
            /// Lab 6's measured call.
            pub fn lab06_run(p: &mut imp::lab06::Particles) -> usize {
                p.count_heavier(LAB06_THRESHOLD)
            }
            /// Lab 7's values and an output vector with room for all of them.
            pub fn lab07_prepare() -> (Vec<u32>, Vec<u32>) {
                (lab07_values(), Vec::with_capacity(LAB07_VALUES))
            }
            /// Lab 7's measured call.
            pub fn lab07_run(io: &mut (Vec<u32>, Vec<u32>)) {
                imp::lab07::keep_below(&io.0, LAB07_LIMIT, &mut io.1)
            }
            /// Lab 8's values.
            pub fn lab08_prepare() -> Vec<f32> {
                lab08_values()
            }
            /// Lab 8's measured call.
            pub fn lab08_run(v: &mut Vec<f32>) -> f32 {
                imp::lab08::sum(v)
            }
            /// Lab 9's scene.
            pub fn lab09_prepare() -> imp::lab09::Scene {
                imp::lab09::Scene::new(&lab09_specs(LAB09_SHAPES, 0x1ab0_9001))
            }
            /// Lab 9's measured call.
            pub fn lab09_run(scene: &mut imp::lab09::Scene) -> f64 {
                scene.total_area()
            }
        }
    };
}

runs!(mine);
runs!(start);
