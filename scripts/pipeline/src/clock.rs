//! The core clock, measured by timing dependency chains whose latency in cycles is known.
//!
//! A chain of `n` dependent instructions of latency `L` cycles takes `n · L` cycles however
//! wide the core is, so timing it gives the clock. The chain must be one the core has to
//! execute: recent Intel cores resolve a chain of `add reg, imm` at rename and report an
//! impossible clock (above 9 GHz). Two kinds of chain are timed instead:
//!
//! - `imul reg, reg`, 3 cycles of latency on every x86-64 core of the last decade (Intel since
//!   Nehalem, AMD since Zen);
//! - `add reg, [mem]`, whose load is independent of the chain (the address never changes), so
//!   each link costs the add's one cycle, and whose value the core cannot know at rename.
//!
//! Each is timed with [`std::time::Instant`] over about [`TARGET`] and the fastest of
//! [`REPETITIONS`] timings is kept (interruptions only ever make a timing slower). The clock is
//! reported only when the two estimates agree within [`TOLERANCE`] ([`agreed`]); otherwise a
//! reader sees both and no clock. Other architectures get no estimate.

use std::time::{Duration, Instant};

/// Dependent instructions per loop iteration (the loop's own counter runs beside the chain).
pub const LINKS: u64 = 8;
/// Latency of `imul r64, r64` in cycles.
pub const IMUL_LATENCY: u64 = 3;
/// Latency of the add in `add r64, [m64]` on the register operand, in cycles.
pub const ADD_LATENCY: u64 = 1;
/// How long one timing of one chain lasts, about.
pub const TARGET: Duration = Duration::from_millis(20);
/// Timings of each chain; the fastest is kept.
pub const REPETITIONS: usize = 4;
/// The largest relative disagreement, against the smaller estimate, at which the two chains
/// are taken to agree.
pub const TOLERANCE: f64 = 0.05;

/// The two chains' estimates of the clock, in GHz, and the clock when they agree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// From the `imul` chain.
    pub imul_ghz: f64,
    /// From the `add`-from-memory chain.
    pub add_ghz: f64,
    /// Their mean, when they agree within [`TOLERANCE`]; see [`agreed`].
    pub clock_ghz: Option<f64>,
}

/// The clock both estimates support (their mean), or `None` when they differ by more than
/// [`TOLERANCE`] of the smaller, or either is not a positive finite number.
pub fn agreed(imul_ghz: f64, add_ghz: f64) -> Option<f64> {
    let usable = |g: f64| g.is_finite() && g > 0.0;
    if !usable(imul_ghz) || !usable(add_ghz) {
        return None;
    }
    ((imul_ghz - add_ghz).abs() <= TOLERANCE * imul_ghz.min(add_ghz))
        .then_some((imul_ghz + add_ghz) / 2.0)
}

/// Measures this machine's clock with the default budget: about
/// `2 · REPETITIONS · TARGET` of running time (160 ms), plus a few milliseconds of sizing.
/// `None` on architectures other than x86-64.
pub fn measure() -> Option<Estimate> {
    measure_with(TARGET, REPETITIONS)
}

/// [`measure`] with each timing lasting about `target`, `repetitions` times per chain.
pub fn measure_with(target: Duration, repetitions: usize) -> Option<Estimate> {
    #[cfg(target_arch = "x86_64")]
    {
        let addend = 1u64;
        let imul = |n: u64| imul_chain(n, std::hint::black_box(3));
        let add = |n: u64| add_chain(n, std::hint::black_box(&addend));
        let n_imul = iterations_for(target, imul);
        let n_add = iterations_for(target, add);
        let (mut best_imul, mut best_add) = (f64::INFINITY, f64::INFINITY);
        // Interleaved, so a change of frequency during the measurement affects both chains.
        for _ in 0..repetitions.max(1) {
            best_imul = best_imul.min(seconds(imul, n_imul));
            best_add = best_add.min(seconds(add, n_add));
        }
        let imul_ghz = ghz(n_imul, IMUL_LATENCY, best_imul);
        let add_ghz = ghz(n_add, ADD_LATENCY, best_add);
        Some(Estimate {
            imul_ghz,
            add_ghz,
            clock_ghz: agreed(imul_ghz, add_ghz),
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (target, repetitions);
        None
    }
}

/// Cycles per second, in GHz, of `iters` iterations of [`LINKS`] links of `latency` cycles in
/// `secs` seconds.
fn ghz(iters: u64, latency: u64, secs: f64) -> f64 {
    (iters * LINKS * latency) as f64 / secs / 1e9
}

/// Seconds one run of `chain` over `iters` iterations takes.
fn seconds(chain: impl Fn(u64) -> u64, iters: u64) -> f64 {
    let start = Instant::now();
    std::hint::black_box(chain(std::hint::black_box(iters)));
    start.elapsed().as_secs_f64()
}

/// Iterations of `chain` that last about `target`: doubled from a few thousand until a run
/// lasts a sixteenth of it, then scaled.
fn iterations_for(target: Duration, chain: impl Fn(u64) -> u64) -> u64 {
    let floor = (target.as_secs_f64() / 16.0).max(1e-4);
    let mut n: u64 = 4096;
    loop {
        let s = seconds(&chain, n);
        if s >= floor || n >= 1 << 40 {
            return ((n as f64 * target.as_secs_f64() / s.max(1e-9)) as u64).max(1);
        }
        n *= 2;
    }
}

/// Runs `iters` iterations of [`LINKS`] dependent `imul x, factor`, from `x = 1`; returns `x`,
/// which is `factor` to the power `iters · LINKS`, wrapping.
#[cfg(target_arch = "x86_64")]
pub fn imul_chain(iters: u64, factor: u64) -> u64 {
    let mut x: u64 = 1;
    if iters == 0 {
        return x;
    }
    // SAFETY: the block reads and writes only the three registers it names and the flags
    // (which `asm!` assumes clobbered without `preserves_flags`); it touches no memory and no
    // stack (`nomem, nostack`). The loop runs `iters` times because `iters` is not zero.
    unsafe {
        core::arch::asm!(
            "2:",
            "imul {x}, {k}",
            "imul {x}, {k}",
            "imul {x}, {k}",
            "imul {x}, {k}",
            "imul {x}, {k}",
            "imul {x}, {k}",
            "imul {x}, {k}",
            "imul {x}, {k}",
            "dec {n}",
            "jnz 2b",
            x = inout(reg) x,
            n = inout(reg) iters => _,
            k = in(reg) factor,
            options(nomem, nostack),
        );
    }
    x
}

/// Runs `iters` iterations of [`LINKS`] dependent `add x, [addend]`, from `x = 0`; returns
/// `x`, which is `*addend · iters · LINKS`, wrapping.
#[cfg(target_arch = "x86_64")]
pub fn add_chain(iters: u64, addend: &u64) -> u64 {
    let mut x: u64 = 0;
    if iters == 0 {
        return x;
    }
    let p: *const u64 = addend;
    // SAFETY: `p` comes from a reference, so it is valid, aligned and initialised for reading
    // eight bytes for the whole block; the block only reads it (`readonly`), writes only the
    // registers it names and the flags, and uses no stack (`nostack`). The loop runs `iters`
    // times because `iters` is not zero.
    unsafe {
        core::arch::asm!(
            "2:",
            "add {x}, qword ptr [{p}]",
            "add {x}, qword ptr [{p}]",
            "add {x}, qword ptr [{p}]",
            "add {x}, qword ptr [{p}]",
            "add {x}, qword ptr [{p}]",
            "add {x}, qword ptr [{p}]",
            "add {x}, qword ptr [{p}]",
            "add {x}, qword ptr [{p}]",
            "dec {n}",
            "jnz 2b",
            x = inout(reg) x,
            n = inout(reg) iters => _,
            p = in(reg) p,
            options(readonly, nostack),
        );
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_chains_run_the_iterations_asked() {
        for n in [0u64, 1, 2, 7, 1000] {
            assert_eq!(
                imul_chain(n, 3),
                3u64.wrapping_pow((n * LINKS) as u32),
                "n = {n}"
            );
            assert_eq!(add_chain(n, &5), 5 * n * LINKS, "n = {n}");
        }
        assert_eq!(add_chain(3, &u64::MAX), u64::MAX.wrapping_mul(3 * LINKS));
    }

    #[test]
    fn the_estimates_must_agree_within_five_percent() {
        assert_eq!(agreed(3.0, 3.0), Some(3.0));
        assert_eq!(agreed(4.0, 4.125), Some(4.0625), "3% apart");
        assert_eq!(agreed(4.125, 4.0), Some(4.0625), "3% apart");
        assert_eq!(agreed(4.0, 4.1875), Some(4.09375), "4.7% apart");
        assert_eq!(agreed(3.0, 3.3), None, "10% apart");
        assert_eq!(agreed(3.3, 3.0), None, "10% apart");
        assert_eq!(agreed(3.0, 9.4), None, "an add chain eliminated at rename");
        assert_eq!(agreed(f64::INFINITY, f64::INFINITY), None);
        assert_eq!(agreed(f64::NAN, 3.0), None);
        assert_eq!(agreed(0.0, 0.0), None);
        assert_eq!(agreed(-3.0, -3.0), None);
    }

    #[test]
    fn a_short_measurement_is_positive_and_finite() {
        let e = measure_with(Duration::from_millis(1), 1);
        if cfg!(target_arch = "x86_64") {
            let e = e.expect("x86-64 measures");
            for g in [e.imul_ghz, e.add_ghz] {
                assert!(g.is_finite() && g > 0.0, "{e:?}");
            }
            if let Some(c) = e.clock_ghz {
                assert!(c.is_finite() && c > 0.0, "{e:?}");
                assert_eq!(Some(c), agreed(e.imul_ghz, e.add_ghz));
            }
        } else {
            assert_eq!(e, None);
        }
    }
}
