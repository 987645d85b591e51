//! The x86 instruction-set levels this chapter writes intrinsics for, and run-time detection.
//!
//! A binary built for the baseline `x86_64` target may only assume SSE2. Code for a wider
//! level is compiled inside functions marked `#[target_feature(enable = ...)]`, and called only
//! after `is_x86_feature_detected!` said yes: calling it on a CPU without the feature is
//! undefined behaviour (in practice an illegal-instruction fault), which is why such a call is
//! `unsafe`. [`Isa::require`] is the check every dispatching function makes first.

/// An x86 SIMD level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// 128-bit vectors; part of the `x86_64` baseline.
    Sse2,
    /// 256-bit integer and float vectors, with fused multiply-add (`avx2` and `fma`).
    Avx2,
    /// 512-bit vectors with mask registers (`avx512f`, and `avx512bw` for bytes).
    Avx512,
}

impl Isa {
    /// Every level, narrowest first.
    pub const ALL: [Isa; 3] = [Isa::Sse2, Isa::Avx2, Isa::Avx512];

    /// The level's name as benchmark ids spell it.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Sse2 => "sse2",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    // ANCHOR: detect
    /// Whether this CPU (as the OS and any emulator in between report it) runs the level.
    pub fn available(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            match self {
                Isa::Sse2 => is_x86_feature_detected!("sse2"),
                Isa::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
                Isa::Avx512 => {
                    is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw")
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// The widest level this CPU runs, if any.
    pub fn best() -> Option<Isa> {
        Isa::ALL.into_iter().rev().find(|i| i.available())
    }
    // ANCHOR_END: detect

    /// Panics unless the CPU runs this level: the check before every call into code compiled
    /// for it.
    ///
    /// # Panics
    /// When [`Isa::available`] is `false`.
    pub fn require(self) {
        assert!(
            self.available(),
            "this CPU does not support {}; check `Isa::available` before asking for it",
            self.name()
        );
    }

    /// Every level this CPU runs.
    pub fn supported() -> Vec<Isa> {
        Isa::ALL.into_iter().filter(|i| i.available()).collect()
    }
}

/// The detected features as `(name, 0 or 1)` pairs, for a custom measurement that records
/// which paths a run could take.
pub fn feature_flags() -> Vec<(&'static str, f64)> {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    #[cfg(target_arch = "x86_64")]
    {
        vec![
            ("sse2", flag(is_x86_feature_detected!("sse2"))),
            ("avx2", flag(is_x86_feature_detected!("avx2"))),
            ("fma", flag(is_x86_feature_detected!("fma"))),
            ("avx512f", flag(is_x86_feature_detected!("avx512f"))),
            ("avx512bw", flag(is_x86_feature_detected!("avx512bw"))),
        ]
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        vec![
            ("sse2", flag(false)),
            ("avx2", flag(false)),
            ("fma", flag(false)),
            ("avx512f", flag(false)),
            ("avx512bw", flag(false)),
        ]
    }
}
