//! Seeded inputs. Every experiment builds its data from a fixed seed with the book's shared
//! generator (`benchkit::rng`), so every run on every machine measures the same values.

pub use benchkit::rng::WyRand as Rng;

/// `len` floats in `[0, 1)`, from `seed`, starting on a cache-line boundary.
pub fn random_f32s(len: usize, seed: u64) -> Aligned<f32> {
    let mut rng = Rng::new(seed);
    Aligned::from_fn(len, |_| (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32)
}

/// `len` random `u32`, from `seed`, starting on a cache-line boundary.
pub fn random_u32s(len: usize, seed: u64) -> Aligned<u32> {
    let mut rng = Rng::new(seed);
    Aligned::from_fn(len, |_| rng.next_u64() as u32)
}

/// Element types for which every bit pattern, all zeros included, is a valid value.
///
/// # Safety
/// An implementor must be valid for any bit pattern and have an alignment of at most 64.
pub unsafe trait Plain: Copy {}
// Safety: any 32 bits are an `f32` (perhaps a NaN) and a `u32`, any 8 bits a `u8`; all align
// to at most 4.
unsafe impl Plain for f32 {}
// Safety: as above.
unsafe impl Plain for u32 {}
// Safety: as above.
unsafe impl Plain for u8 {}

/// One cache line: the unit of storage of [`Aligned`].
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([u8; 64]);

/// A growable-once array whose first element starts on a cache-line (64-byte) boundary; it
/// dereferences to a slice. Where the allocator puts a `Vec` decides how many of a kernel's
/// vector loads straddle two cache lines, and with it the speed of the wider kernels (the
/// search experiment measures how much), so every array the kernels read is one of these: a
/// result does not depend on the allocation history of the run.
#[derive(Clone)]
pub struct Aligned<T: Plain> {
    lines: Vec<Line>,
    len: usize,
    _elem: std::marker::PhantomData<T>,
}

impl<T: Plain> Aligned<T> {
    /// `len` elements, element `i` being `f(i)`.
    pub fn from_fn(len: usize, mut f: impl FnMut(usize) -> T) -> Self {
        let bytes = len * size_of::<T>();
        let mut a = Aligned {
            lines: vec![Line([0; 64]); bytes.div_ceil(64)],
            len,
            _elem: std::marker::PhantomData,
        };
        for (i, x) in a.iter_mut().enumerate() {
            *x = f(i);
        }
        a
    }
}

impl<T: Plain> std::ops::Deref for Aligned<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // Safety: `lines` holds at least `len * size_of::<T>()` initialised bytes, aligned to
        // 64 and so to `T`; every bit pattern is a valid `T` (`Plain`).
        unsafe { std::slice::from_raw_parts(self.lines.as_ptr().cast(), self.len) }
    }
}

impl<T: Plain> std::ops::DerefMut for Aligned<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // Safety: as in `deref`, and `&mut self` makes the borrow unique.
        unsafe { std::slice::from_raw_parts_mut(self.lines.as_mut_ptr().cast(), self.len) }
    }
}

/// `len` random bytes none of which is `needle`, except the last one: a search for `needle`
/// reads the whole haystack.
///
/// # Panics
/// When `len` is zero.
pub fn haystack(len: usize, needle: u8, seed: u64) -> Vec<u8> {
    assert!(len > 0, "a haystack needs room for its needle");
    let mut rng = Rng::new(seed);
    let mut h: Vec<u8> = (0..len)
        .map(|_| {
            let b = rng.next_u64() as u8;
            if b == needle { b ^ 1 } else { b }
        })
        .collect();
    h[len - 1] = needle;
    h
}

/// A copy of `bytes` that starts on a cache-line boundary: the search experiment runs the same
/// haystack from where the allocator put it and from a line.
pub fn aligned_copy(bytes: &[u8]) -> Aligned<u8> {
    Aligned::from_fn(bytes.len(), |i| bytes[i])
}
