//! A buffer whose first element starts on a cache-line boundary.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// Bytes in a cache line on the machines this book runs on (x86-64, and most AArch64 cores).
pub const LINE: usize = 64;

/// Element types for which every bit pattern, all zeros included, is a valid value.
///
/// # Safety
/// An implementor must be valid for any bit pattern and have an alignment of at most [`LINE`].
pub unsafe trait Plain: Copy {}

macro_rules! plain {
    ($($t:ty),*) => {$(
        // SAFETY: every bit pattern of the type's size is a value of it (an integer, or a float,
        // perhaps a NaN), and its alignment is at most 8.
        unsafe impl Plain for $t {}
    )*};
}
plain!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);

/// One cache line: the unit of storage of [`Aligned`].
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([u8; LINE]);

const _: () = assert!(size_of::<Line>() == LINE && align_of::<Line>() == LINE);

/// An array whose first element starts on a cache-line ([`LINE`]) boundary; it dereferences
/// to a slice.
///
/// Where the allocator puts a `Vec` decides how many of a kernel's vector loads straddle two
/// cache lines: glibc promises a `Vec<f32>` only 16-byte alignment, so depending on what was
/// allocated before, the same array starts 0, 16, 32 or 48 bytes past a line boundary. An array
/// built as one of these starts on a boundary whatever the allocation history of the run.
#[derive(Clone)]
pub struct Aligned<T: Plain> {
    lines: Vec<Line>,
    len: usize,
    _elem: PhantomData<T>,
}

impl<T: Plain> Aligned<T> {
    /// `len` elements, element `i` being `f(i)`.
    ///
    /// # Panics
    /// When `len` elements of `T` take more bytes than a `usize` counts, or more than an
    /// allocation may hold.
    pub fn from_fn(len: usize, mut f: impl FnMut(usize) -> T) -> Self {
        let bytes = len.checked_mul(size_of::<T>()).unwrap_or_else(|| {
            panic!(
                "{len} elements of {} bytes do not fit in memory",
                size_of::<T>()
            )
        });
        let mut a = Aligned {
            // `vec!` refuses more than `isize::MAX` bytes, so the lines, once allocated, hold
            // at least `bytes` bytes.
            lines: vec![Line([0; LINE]); bytes.div_ceil(LINE)],
            len,
            _elem: PhantomData,
        };
        for (i, x) in a.iter_mut().enumerate() {
            *x = f(i);
        }
        a
    }

    /// A copy of `items` that starts on a cache-line boundary.
    pub fn from_slice(items: &[T]) -> Self {
        Aligned::from_fn(items.len(), |i| items[i])
    }
}

impl<T: Plain> Deref for Aligned<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `lines` holds at least `len * size_of::<T>()` bytes (the product was checked
        // in `from_fn`, and the allocation succeeded), all initialised, aligned to 64 and so to
        // `T` (`Plain` allows at most 64); every bit pattern is a valid `T` (`Plain`). The
        // slice borrows `self`.
        unsafe { std::slice::from_raw_parts(self.lines.as_ptr().cast(), self.len) }
    }
}

impl<T: Plain> DerefMut for Aligned<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` makes the borrow unique.
        unsafe { std::slice::from_raw_parts_mut(self.lines.as_mut_ptr().cast(), self.len) }
    }
}

impl<T: Plain + fmt::Debug> fmt::Debug for Aligned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts_on_a_line<T>(s: &[T]) -> bool {
        (s.as_ptr() as usize).is_multiple_of(LINE)
    }

    #[test]
    fn elements_are_what_the_function_gave_and_start_on_a_line() {
        for len in [0, 1, 15, 16, 17, 1000] {
            let a = Aligned::from_fn(len, |i| i as u32 * 3);
            assert_eq!(a.len(), len);
            assert!(a.iter().enumerate().all(|(i, &x)| x == i as u32 * 3));
            assert!(starts_on_a_line(&a));
            let b = Aligned::from_fn(len, |i| i as u8);
            assert!(starts_on_a_line(&b));
            let f = Aligned::from_fn(len, |i| i as f64 / 2.0);
            assert!(starts_on_a_line(&f));
        }
    }

    #[test]
    fn a_copy_equals_its_source_and_writes_go_through() {
        let src: Vec<u16> = (0..100).collect();
        let mut a = Aligned::from_slice(&src);
        assert_eq!(&a[..], &src[..]);
        a[7] = 1000;
        assert_eq!(a[7], 1000);
        let c = a.clone();
        assert_eq!(&c[..], &a[..]);
        assert!(starts_on_a_line(&c));
        assert_eq!(format!("{:?}", Aligned::from_slice(&[1u8, 2])), "[1, 2]");
    }

    #[test]
    #[should_panic(expected = "do not fit in memory")]
    fn a_length_whose_size_overflows_is_refused() {
        // A quarter of the address space and one more `u32`s: without the check the byte
        // count wraps to 4, one line is allocated, and filling it writes far past its end.
        let _ = Aligned::<u32>::from_fn((usize::MAX >> 2) + 2, |_| 0);
    }

    #[test]
    #[should_panic(expected = "do not fit in memory")]
    fn the_largest_length_is_refused() {
        let _ = Aligned::<u64>::from_fn(usize::MAX, |_| 0);
    }
}
