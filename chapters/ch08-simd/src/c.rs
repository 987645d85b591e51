//! The chapter's kernels compiled from C (`csrc/kernels.c`, built by `build.rs` with gcc at
//! `-O3`), beside the Rust versions: the plain loops of the sum, the dot product, the byte
//! search and the filter, and the sum shaped for the vectoriser, each in four flavours of
//! compiler flags ([`Flavour`]).
//!
//! Every function here is safe: it passes a slice's pointer and length to C, which reads
//! exactly that range (and, for the filter, writes at most `src.len()` elements of an output
//! this module checks is that long). A flavour compiled for AVX2 runs only after the CPU was
//! asked for AVX2 and FMA; on another CPU its functions return `None`.

/// A set of compiler flags `csrc/kernels.c` is compiled with, beyond `-O3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// No other flag: the x86-64 baseline (SSE2), as Rust's default target.
    Base,
    /// `-mavx2 -mfma`.
    Avx2,
    /// `-ffast-math`: the compiler may reorder floating-point operations.
    FastMath,
    /// `-ffast-math -mavx2 -mfma`.
    FastMathAvx2,
}

impl Flavour {
    /// Every flavour, in the order of the chapter's cases.
    pub const ALL: [Flavour; 4] = [
        Flavour::Base,
        Flavour::Avx2,
        Flavour::FastMath,
        Flavour::FastMathAvx2,
    ];

    /// The flavour's name in case ids (`c`, `c_avx2`, `c_fastmath`, `c_fastmath_avx2`).
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Base => "c",
            Flavour::Avx2 => "c_avx2",
            Flavour::FastMath => "c_fastmath",
            Flavour::FastMathAvx2 => "c_fastmath_avx2",
        }
    }

    /// Whether code of this flavour needs AVX2 and FMA.
    pub fn needs_avx2(self) -> bool {
        matches!(self, Flavour::Avx2 | Flavour::FastMathAvx2)
    }

    /// Whether this machine can run the flavour: it was compiled (x86-64 only), and the CPU
    /// has what it needs.
    pub fn available(self) -> bool {
        // The AVX2 level of the chapter's intrinsics needs the same two features.
        cfg!(target_arch = "x86_64") && (!self.needs_avx2() || crate::isa::Isa::Avx2.available())
    }
}

#[cfg(target_arch = "x86_64")]
mod ffi {
    macro_rules! flavour {
        ($sum:ident, $lanes:ident, $dot:ident, $find:ident, $filter:ident) => {
            unsafe extern "C" {
                pub fn $sum(x: *const f32, n: usize) -> f32;
                pub fn $lanes(x: *const f32, n: usize) -> f32;
                pub fn $dot(x: *const f32, y: *const f32, n: usize) -> f32;
                pub fn $find(hay: *const u8, n: usize, needle: u8) -> usize;
                pub fn $filter(src: *const u32, n: usize, threshold: u32, out: *mut u32) -> usize;
            }
        };
    }
    flavour!(
        ch08_c_sum_scalar_base,
        ch08_c_sum_lanes_base,
        ch08_c_dot_scalar_base,
        ch08_c_find_scalar_base,
        ch08_c_filter_scalar_base
    );
    flavour!(
        ch08_c_sum_scalar_avx2,
        ch08_c_sum_lanes_avx2,
        ch08_c_dot_scalar_avx2,
        ch08_c_find_scalar_avx2,
        ch08_c_filter_scalar_avx2
    );
    flavour!(
        ch08_c_sum_scalar_fast,
        ch08_c_sum_lanes_fast,
        ch08_c_dot_scalar_fast,
        ch08_c_find_scalar_fast,
        ch08_c_filter_scalar_fast
    );
    flavour!(
        ch08_c_sum_scalar_fast_avx2,
        ch08_c_sum_lanes_fast_avx2,
        ch08_c_dot_scalar_fast_avx2,
        ch08_c_find_scalar_fast_avx2,
        ch08_c_filter_scalar_fast_avx2
    );
}

/// Calls the flavour's version of a C function, when the machine can run it.
#[cfg(target_arch = "x86_64")]
macro_rules! pick {
    ($flavour:expr, $base:ident, $avx2:ident, $fast:ident, $fast_avx2:ident, ($($arg:expr),*)) => {{
        let flavour: Flavour = $flavour;
        if !flavour.available() {
            return None;
        }
        // SAFETY: the caller passes the pointer and length of live slices (and an output at
        // least as long as the input), which the C function reads (and writes) within; a
        // flavour compiled for AVX2 and FMA is called only when the CPU has both
        // (`available`).
        Some(unsafe {
            match flavour {
                Flavour::Base => ffi::$base($($arg),*),
                Flavour::Avx2 => ffi::$avx2($($arg),*),
                Flavour::FastMath => ffi::$fast($($arg),*),
                Flavour::FastMathAvx2 => ffi::$fast_avx2($($arg),*),
            }
        })
    }};
}

/// The plain sum in C, one addition after the other (`None` where the flavour does not run).
pub fn sum_scalar(flavour: Flavour, x: &[f32]) -> Option<f32> {
    #[cfg(target_arch = "x86_64")]
    {
        pick!(
            flavour,
            ch08_c_sum_scalar_base,
            ch08_c_sum_scalar_avx2,
            ch08_c_sum_scalar_fast,
            ch08_c_sum_scalar_fast_avx2,
            (x.as_ptr(), x.len())
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (flavour, x);
        None
    }
}

/// The sum in 32 partial sums, the shape of [`crate::sum::sum_lanes`], in C.
pub fn sum_lanes(flavour: Flavour, x: &[f32]) -> Option<f32> {
    #[cfg(target_arch = "x86_64")]
    {
        pick!(
            flavour,
            ch08_c_sum_lanes_base,
            ch08_c_sum_lanes_avx2,
            ch08_c_sum_lanes_fast,
            ch08_c_sum_lanes_fast_avx2,
            (x.as_ptr(), x.len())
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (flavour, x);
        None
    }
}

/// The plain dot product in C, over the common length of `x` and `y`.
pub fn dot_scalar(flavour: Flavour, x: &[f32], y: &[f32]) -> Option<f32> {
    let n = x.len().min(y.len());
    #[cfg(target_arch = "x86_64")]
    {
        pick!(
            flavour,
            ch08_c_dot_scalar_base,
            ch08_c_dot_scalar_avx2,
            ch08_c_dot_scalar_fast,
            ch08_c_dot_scalar_fast_avx2,
            (x.as_ptr(), y.as_ptr(), n)
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (flavour, n);
        None
    }
}

/// The index of the first `needle` in `hay`, by the plain loop in C: `Some(None)` when there
/// is none.
pub fn find_scalar(flavour: Flavour, hay: &[u8], needle: u8) -> Option<Option<usize>> {
    #[cfg(target_arch = "x86_64")]
    {
        let at = pick!(
            flavour,
            ch08_c_find_scalar_base,
            ch08_c_find_scalar_avx2,
            ch08_c_find_scalar_fast,
            ch08_c_find_scalar_fast_avx2,
            (hay.as_ptr(), hay.len(), needle)
        )?;
        Some((at < hay.len()).then_some(at))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (flavour, hay, needle);
        None
    }
}

/// The branchless filter in C: copies the elements of `src` below `threshold` to the front of
/// `out`, in order, and returns how many.
///
/// # Panics
/// When `out` is shorter than `src` (the C loop writes one slot per element it reads).
pub fn filter_scalar(
    flavour: Flavour,
    src: &[u32],
    threshold: u32,
    out: &mut [u32],
) -> Option<usize> {
    assert!(
        out.len() >= src.len(),
        "the filter's output ({}) must be as long as its input ({})",
        out.len(),
        src.len()
    );
    #[cfg(target_arch = "x86_64")]
    {
        pick!(
            flavour,
            ch08_c_filter_scalar_base,
            ch08_c_filter_scalar_avx2,
            ch08_c_filter_scalar_fast,
            ch08_c_filter_scalar_fast_avx2,
            (src.as_ptr(), src.len(), threshold, out.as_mut_ptr())
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (flavour, threshold);
        None
    }
}
