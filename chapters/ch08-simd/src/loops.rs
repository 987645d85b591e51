//! Loop transformations, each against the loop it transforms: fusion (two passes over the data
//! or one) and, on a 2-D array, interchange (row order or column order) and tiling.
//! (Unrolling is measured on the byte search, [`crate::find::find_unrolled`]; multiple
//! accumulators in [`crate::accumulators`].)

use crate::sum::sum_lanes;

/// Lanes of the fused and unfused passes, as in [`crate::sum::sum_lanes`].
const L: usize = 32;

/// The sum of squares, in [`L`] lanes like [`sum_lanes`].
#[inline(always)]
fn squares_lanes(x: &[f32]) -> f32 {
    let mut acc = [0.0f32; L];
    let mut chunks = x.chunks_exact(L);
    for c in &mut chunks {
        for i in 0..L {
            acc[i] += c[i] * c[i];
        }
    }
    let mut s = acc.iter().sum::<f32>();
    for &v in chunks.remainder() {
        s += v * v;
    }
    s
}

// ANCHOR: fusion
/// Sum and sum of squares (what a mean and a variance need) in two passes: the data is read
/// twice.
#[inline(never)]
pub fn moments_two_pass(x: &[f32]) -> (f32, f32) {
    (sum_lanes::<L>(x), squares_lanes(x))
}

/// Both in one pass: every element is loaded once and feeds both sets of partial sums. The
/// order of additions within each sum is the same as in [`moments_two_pass`], so the results
/// are identical to the bit.
#[inline(never)]
pub fn moments_fused(x: &[f32]) -> (f32, f32) {
    let mut sum = [0.0f32; L];
    let mut sq = [0.0f32; L];
    let mut chunks = x.chunks_exact(L);
    for c in &mut chunks {
        for i in 0..L {
            sum[i] += c[i];
            sq[i] += c[i] * c[i];
        }
    }
    let (mut s, mut q) = (sum.iter().sum::<f32>(), sq.iter().sum::<f32>());
    for &v in chunks.remainder() {
        s += v;
        q += v * v;
    }
    (s, q)
}
// ANCHOR_END: fusion

/// Checks the shape of a column-sum call.
fn check(m: &[u32], cols: usize, out: &[u32]) -> usize {
    assert!(cols > 0, "a matrix with no columns");
    assert_eq!(m.len() % cols, 0, "the matrix is not whole rows");
    assert_eq!(out.len(), cols, "one sum per column");
    m.len() / cols
}

// ANCHOR: interchange
/// Column sums of a row-major `rows x cols` matrix, walking it in memory order: the inner loop
/// runs along a row, adding it into the vector of sums, and every cache line is used whole.
///
/// # Panics
/// When `m` is not whole rows of `cols` or `out` is not `cols` long (as every version here).
#[inline(never)]
pub fn col_sums_row_order(m: &[u32], cols: usize, out: &mut [u32]) {
    check(m, cols, out);
    out.fill(0);
    for row in m.chunks_exact(cols) {
        for (o, &v) in out.iter_mut().zip(row) {
            *o = o.wrapping_add(v);
        }
    }
}

/// The same sums with the loops interchanged: the inner loop walks down a column, one element
/// per row, `cols * 4` bytes apart, and uses 4 bytes of every 64-byte line it loads.
#[inline(never)]
pub fn col_sums_column_order(m: &[u32], cols: usize, out: &mut [u32]) {
    let rows = check(m, cols, out);
    for (j, o) in out.iter_mut().enumerate() {
        let mut s = 0u32;
        for i in 0..rows {
            s = s.wrapping_add(m[i * cols + j]);
        }
        *o = s;
    }
}
// ANCHOR_END: interchange

/// Columns per tile: one 64-byte cache line of `u32`.
pub const TILE: usize = 16;

// ANCHOR: tiling
/// Column order, tiled: the columns are taken [`TILE`] at a time, and each tile is walked down
/// the rows. Every line loaded is used whole before the walk moves on, and the tile's sums
/// stay in registers.
#[inline(never)]
pub fn col_sums_tiled(m: &[u32], cols: usize, out: &mut [u32]) {
    let rows = check(m, cols, out);
    for (t, o) in out.chunks_mut(TILE).enumerate() {
        let j0 = t * TILE;
        let mut s = [0u32; TILE];
        for i in 0..rows {
            let row = &m[i * cols + j0..i * cols + j0 + o.len()];
            for (a, &v) in s.iter_mut().zip(row) {
                *a = a.wrapping_add(v);
            }
        }
        o.copy_from_slice(&s[..o.len()]);
    }
}
// ANCHOR_END: tiling
