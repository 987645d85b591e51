// Lab 5, reference solution: the loops walk tiles of `TILE` by `TILE` elements, so the lines of
// the destination a tile writes stay in L1 until all of their elements are written.

/// Elements per tile side: a tile of the destination is `TILE` lines of 64 bytes.
const TILE: usize = 16;

/// Writes the transpose of the `n` by `n` row-major matrix `src` into `dst`.
///
/// # Panics
///
/// If either slice does not hold exactly `n * n` elements.
pub fn transpose(n: usize, src: &[u32], dst: &mut [u32]) {
    assert_eq!(src.len(), n * n, "src is not n by n");
    assert_eq!(dst.len(), n * n, "dst is not n by n");
    for ii in (0..n).step_by(TILE) {
        for jj in (0..n).step_by(TILE) {
            for i in ii..(ii + TILE).min(n) {
                for j in jj..(jj + TILE).min(n) {
                    dst[j * n + i] = src[i * n + j];
                }
            }
        }
    }
}
