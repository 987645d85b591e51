// Lab 5, caches: a transpose that uses every line it loads.
//
// Reading the source row by row is sequential; writing the destination column by column
// puts every store on another cache line, and by the time the next column comes back to
// a line it has been evicted. Chapter 5 blocks the loops into tiles that fit in L1. The
// grader counts the simulated L1 data-cache misses per element under callgrind, with a
// fixed cache.

/// Writes the transpose of the `n` by `n` row-major matrix `src` into `dst`:
/// `dst[j * n + i] = src[i * n + j]`.
///
/// # Panics
///
/// If either slice does not hold exactly `n * n` elements.
pub fn transpose(n: usize, src: &[u32], dst: &mut [u32]) {
    assert_eq!(src.len(), n * n, "src is not n by n");
    assert_eq!(dst.len(), n * n, "dst is not n by n");
    for i in 0..n {
        for j in 0..n {
            dst[j * n + i] = src[i * n + j];
        }
    }
}
