//! Bandwidth: read, write (of non-zero data, which no page-zeroing shortcut can serve), copy
//! and non-temporal write, with the widest vectors the CPU has, by one thread and by two, over
//! a buffer far larger than any last-level cache. Reported as STREAM reports it: the best pass
//! of N, with the median beside it.

use std::hint::black_box;
use std::sync::Barrier;
use std::time::Instant;

use bookproto::card::{Better, Entry};
use inputs::{Mapped, Pages};

use crate::stats::best_of;
use crate::{Budget, allowed_cpus, pin};

/// What every write stores: non-zero, so that the written lines are real data.
pub const PATTERN: u64 = 0x0101_0101_0101_0101;

/// Words (`u64`) every kernel handles per step: two 64-byte lines.
pub const STEP: usize = 16;

/// The widest vectors the kernels use on this CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// 64-byte AVX-512 loads and stores.
    Avx512,
    /// 32-byte AVX2 loads and stores.
    Avx2,
    /// Plain loops, vectorised by the compiler for the target's baseline (16-byte SSE2 on
    /// x86-64, NEON on AArch64); no non-temporal stores.
    Portable,
}

impl Width {
    /// The widest this CPU has.
    pub fn detect() -> Width {
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f") {
                return Width::Avx512;
            }
            if is_x86_feature_detected!("avx2") {
                return Width::Avx2;
            }
        }
        Width::Portable
    }

    /// Whether this CPU has the width's features.
    pub fn runs_here(self) -> bool {
        match self {
            Width::Avx512 => Width::detect() == Width::Avx512,
            Width::Avx2 => Width::detect() != Width::Portable,
            Width::Portable => true,
        }
    }

    /// How it reads in a row of the card.
    pub fn describe(self) -> &'static str {
        match self {
            Width::Avx512 => "64-byte AVX-512",
            Width::Avx2 => "32-byte AVX2",
            Width::Portable => "the compiler's baseline vectors",
        }
    }
}

/// What one pass does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// Sums every word.
    Read,
    /// Stores [`PATTERN`] into every word.
    Write,
    /// Copies the first half of the part onto its second half.
    Copy,
    /// Stores [`PATTERN`] with non-temporal stores, which bypass the caches.
    NtWrite,
}

impl Kernel {
    fn name(self) -> &'static str {
        match self {
            Kernel::Read => "read",
            Kernel::Write => "write",
            Kernel::Copy => "copy",
            Kernel::NtWrite => "nt_write",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kernel::Read => "read",
            Kernel::Write => "write of non-zero data",
            Kernel::Copy => "copy (bytes read plus bytes written)",
            Kernel::NtWrite => "non-temporal write",
        }
    }
}

/// One pass of `kernel` over `part` at `width`; returns the sum a read computed (0 for the
/// others), which the caller passes to `black_box` so that no pass is optimised away.
///
/// # Panics
/// When `part`'s length is not a multiple of [`STEP`] (of `2 * STEP` for a copy), when a
/// non-temporal write is asked of [`Width::Portable`], or when `width` is wider than this CPU.
pub fn pass(kernel: Kernel, width: Width, part: &mut [u64]) -> u64 {
    let unit = if kernel == Kernel::Copy {
        2 * STEP
    } else {
        STEP
    };
    assert!(
        part.len().is_multiple_of(unit),
        "a part of {} words is not a whole number of {unit}-word steps",
        part.len()
    );
    assert!(width.runs_here(), "{width:?} is wider than this CPU");
    match width {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the assertion above checked that the CPU has the width's features.
        Width::Avx512 => unsafe { x86::avx512(kernel, part) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Width::Avx2 => unsafe { x86::avx2(kernel, part) },
        _ => portable(kernel, part),
    }
}

fn portable(kernel: Kernel, part: &mut [u64]) -> u64 {
    match kernel {
        Kernel::Read => {
            let mut acc = [0u64; STEP];
            for c in part.chunks_exact(STEP) {
                for (a, &x) in acc.iter_mut().zip(c) {
                    *a = a.wrapping_add(x);
                }
            }
            acc.iter().fold(0, |s, &a| s.wrapping_add(a))
        }
        Kernel::Write => {
            part.fill(PATTERN);
            0
        }
        Kernel::Copy => {
            let (src, dst) = part.split_at_mut(part.len() / 2);
            dst.copy_from_slice(src);
            0
        }
        Kernel::NtWrite => panic!("non-temporal stores need a vector width of x86-64"),
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::{Kernel, PATTERN, STEP};

    /// One function per vector width, the same four kernels in each, from the width's
    /// intrinsics: its vector type, lanes of `u64` per vector, and its broadcast, zero, add,
    /// unaligned load and store, and streaming store.
    macro_rules! width {
        ($(#[$doc:meta])* $name:ident, $feature:literal, $v:ty, $w:literal,
         $set1:ident, $zero:ident, $add:ident, $load:ident, $store:ident, $stream:ident) => {
            $(#[$doc])*
            #[target_feature(enable = $feature)]
            pub unsafe fn $name(kernel: Kernel, part: &mut [u64]) -> u64 {
                const W: usize = $w;
                let v = $set1(PATTERN as i64);
                match kernel {
                    Kernel::Read => {
                        let mut acc = [$zero(); STEP / W];
                        for c in part.chunks_exact(STEP) {
                            for (k, a) in acc.iter_mut().enumerate() {
                                // SAFETY: `c` holds STEP words, so vector `k < STEP / W` lies
                                // inside it; the load is unaligned.
                                let x = unsafe { $load(c.as_ptr().add(k * W).cast()) };
                                *a = $add(*a, x);
                            }
                        }
                        let s = acc.iter().fold($zero(), |s, &a| $add(s, a));
                        let mut lanes = [0u64; W];
                        // SAFETY: `lanes` is exactly one vector long.
                        unsafe { $store(lanes.as_mut_ptr().cast(), s) };
                        lanes.iter().fold(0, |t, &x| t.wrapping_add(x))
                    }
                    Kernel::Write | Kernel::NtWrite => {
                        let nt = kernel == Kernel::NtWrite;
                        assert!(
                            !nt || (part.as_ptr() as usize).is_multiple_of(8 * W),
                            "a non-temporal store needs a boundary of its vector's size"
                        );
                        for c in part.chunks_exact_mut(STEP) {
                            for k in 0..STEP / W {
                                // SAFETY: vector `k` lies inside `c`, as in the read; a stream
                                // store is aligned because `c` starts a whole number of STEP
                                // words (128 bytes) after the vector-aligned start.
                                unsafe {
                                    let p = c.as_mut_ptr().add(k * W).cast::<$v>();
                                    if nt {
                                        $stream(p, v);
                                    } else {
                                        $store(p, v);
                                    }
                                }
                            }
                        }
                        if nt {
                            // Orders the stream stores before whatever follows the pass.
                            _mm_sfence();
                        }
                        0
                    }
                    Kernel::Copy => {
                        let (src, dst) = part.split_at_mut(part.len() / 2);
                        for (s, d) in src.chunks_exact(STEP).zip(dst.chunks_exact_mut(STEP)) {
                            for k in 0..STEP / W {
                                // SAFETY: vector `k` lies inside both `s` and `d`, which are
                                // STEP words each and do not overlap (two halves of one slice).
                                unsafe {
                                    let x = $load(s.as_ptr().add(k * W).cast());
                                    $store(d.as_mut_ptr().add(k * W).cast(), x);
                                }
                            }
                        }
                        0
                    }
                }
            }
        };
    }

    width!(
        /// # Safety
        /// The CPU has AVX2. `part`'s length is a multiple of `STEP` (`2 * STEP` for a copy),
        /// and for a non-temporal write it starts on a 32-byte boundary.
        avx2, "avx2", __m256i, 4, _mm256_set1_epi64x, _mm256_setzero_si256, _mm256_add_epi64,
        _mm256_loadu_si256, _mm256_storeu_si256, _mm256_stream_si256
    );

    width!(
        /// # Safety
        /// The CPU has AVX-512F. `part`'s length is a multiple of `STEP` (`2 * STEP` for a
        /// copy), and for a non-temporal write it starts on a 64-byte boundary.
        avx512, "avx512f", __m512i, 8, _mm512_set1_epi64, _mm512_setzero_si512, _mm512_add_epi64,
        _mm512_loadu_si512, _mm512_storeu_si512, _mm512_stream_si512
    );
}

/// One timed pass by `threads` threads, each pinned to its own CPU and started together, over
/// its own contiguous share of `words`; seconds until the last one finished.
fn timed(kernel: Kernel, width: Width, words: &mut [u64], threads: usize) -> f64 {
    let cpus = allowed_cpus();
    let share = words.len() / threads;
    let barrier = Barrier::new(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = words
            .chunks_mut(share)
            .take(threads)
            .enumerate()
            .map(|(i, part)| {
                let barrier = &barrier;
                let cpu = cpus[i % cpus.len()];
                s.spawn(move || {
                    pin(cpu);
                    barrier.wait();
                    let t = Instant::now();
                    black_box(pass(kernel, width, black_box(part)));
                    t.elapsed().as_secs_f64()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a bandwidth thread panicked"))
            .fold(0.0, f64::max)
    })
}

/// Every kernel the width supports, by one thread and (where the process may use two CPUs)
/// by two, in GB/s.
pub fn all(b: &Budget) -> Vec<Entry> {
    let width = Width::detect();
    let mut buf = Mapped::new(b.bandwidth_bytes, Pages::Base);
    // SAFETY: every bit pattern is a valid `u64`; the buffer starts on a huge-page boundary
    // and its length is a whole number of lines, so the middle part is all of it.
    let (_, words, _) = unsafe { buf.align_to_mut::<u64>() };
    // First touch: every page faulted in and holding real data before anything is timed.
    words.fill(PATTERN);
    let bytes = words.len() * 8;
    let max_threads = allowed_cpus().len().min(2);
    let mut out = Vec::new();
    for kernel in [Kernel::Read, Kernel::Write, Kernel::Copy, Kernel::NtWrite] {
        if kernel == Kernel::NtWrite && width == Width::Portable {
            continue;
        }
        for threads in 1..=max_threads {
            // One untimed pass, then the timed ones.
            timed(kernel, width, words, threads);
            let runs: Vec<f64> = (0..b.bandwidth_runs)
                .map(|_| bytes as f64 / timed(kernel, width, words, threads) / 1e9)
                .collect();
            out.push(best_of(
                &format!("bandwidth/{}/t{threads}", kernel.name()),
                &format!(
                    "{}, {threads} thread{}, {} vectors, {} on 4 KiB pages",
                    kernel.describe(),
                    if threads == 1 { "" } else { "s" },
                    width.describe(),
                    crate::latency::human_kib(b.bandwidth_bytes / 1024)
                ),
                "GB/s",
                Better::Higher,
                &runs,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths() -> Vec<Width> {
        let mut w = vec![Width::Portable];
        match Width::detect() {
            Width::Avx512 => w.extend([Width::Avx2, Width::Avx512]),
            Width::Avx2 => w.push(Width::Avx2),
            Width::Portable => {}
        }
        w
    }

    #[test]
    fn every_width_reads_writes_and_copies_the_same_words() {
        let mut buf = Mapped::new(64 * STEP * 8, Pages::Base);
        // SAFETY: as in `all`.
        let (_, words, _) = unsafe { buf.align_to_mut::<u64>() };
        for width in widths() {
            for (i, w) in words.iter_mut().enumerate() {
                *w = i as u64;
            }
            let n = words.len() as u64;
            assert_eq!(
                pass(Kernel::Read, width, words),
                n * (n - 1) / 2,
                "{width:?}"
            );
            pass(Kernel::Copy, width, words);
            let half = words.len() / 2;
            assert!(
                (0..half).all(|i| words[half + i] == i as u64),
                "{width:?} copy"
            );
            pass(Kernel::Write, width, words);
            assert!(words.iter().all(|&w| w == PATTERN), "{width:?} write");
            if width != Width::Portable {
                words.fill(0);
                pass(Kernel::NtWrite, width, words);
                assert!(words.iter().all(|&w| w == PATTERN), "{width:?} stream");
            }
        }
    }

    #[test]
    #[should_panic(expected = "whole number of")]
    fn a_part_that_is_not_whole_steps_is_refused() {
        let mut v = vec![0u64; STEP + 1];
        pass(Kernel::Read, Width::Portable, &mut v);
    }

    #[test]
    fn two_threads_cover_the_whole_buffer() {
        let mut v = vec![0u64; 4 * STEP * 2];
        let t = timed(Kernel::Write, Width::Portable, &mut v, 2);
        assert!(t >= 0.0);
        assert!(v.iter().all(|&w| w == PATTERN));
    }
}
