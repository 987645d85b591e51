//! Matrix transposition three ways.
//!
//! Every function writes the transpose of `src`, a `rows` x `cols` matrix stored row by row,
//! into `dst`, stored row by row as `cols` x `rows`: `dst[c * rows + r] = src[r * cols + c]`.
//! They move the same elements and differ only in the order they visit them.
//!
//! - [`naive`] reads `src` along its rows and so writes `dst` down its columns: each write
//!   lands `rows` elements after the last, on a different cache line, usually a different page.
//! - [`blocked`] (cache-aware) visits the matrix in square tiles of [`BLOCK`] x [`BLOCK`]
//!   elements, small enough that the tile's lines of `src` and of `dst` stay in the L1 cache
//!   while it is transposed. The tile size is tuned to a cache size.
//! - [`recursive`] (cache-oblivious) halves the larger dimension until a piece is small, then
//!   transposes that piece naively. At some depth of the recursion a piece fits each level of
//!   the hierarchy, whatever its size, so it needs no tuning.

/// Side of the tiles of [`blocked`], in elements: a row of a tile is 32 `u32`, two 64-byte
/// lines, and a tile touches 4 KiB of `src` and 4 KiB of `dst`, which fit any L1 data cache
/// with room to spare.
pub const BLOCK: usize = 32;

/// Pieces of [`recursive`] with at most this many elements are transposed naively.
pub const LEAF: usize = BLOCK * BLOCK;

fn check(rows: usize, cols: usize, src: &[u32], dst: &[u32]) {
    assert!(
        src.len() == rows * cols && dst.len() == rows * cols,
        "a {rows} x {cols} transpose needs {} elements in both matrices, not {} and {}",
        rows * cols,
        src.len(),
        dst.len()
    );
}

// ANCHOR: naive
/// Transposes row by row: reads are sequential, writes stride down the columns of `dst`.
#[inline(never)]
pub fn naive(rows: usize, cols: usize, src: &[u32], dst: &mut [u32]) {
    check(rows, cols, src, dst);
    for r in 0..rows {
        for c in 0..cols {
            dst[c * rows + r] = src[r * cols + c];
        }
    }
}
// ANCHOR_END: naive

/// Transposes the piece of rows `r0..r1` and columns `c0..c1` element by element.
#[inline(always)]
fn piece(
    src: &[u32],
    dst: &mut [u32],
    (rows, cols): (usize, usize),
    (r0, r1): (usize, usize),
    (c0, c1): (usize, usize),
) {
    for r in r0..r1 {
        for c in c0..c1 {
            dst[c * rows + r] = src[r * cols + c];
        }
    }
}

// ANCHOR: blocked
/// Transposes tile by tile; within a tile, exactly as [`naive`] does.
#[inline(never)]
pub fn blocked(rows: usize, cols: usize, src: &[u32], dst: &mut [u32]) {
    check(rows, cols, src, dst);
    for r0 in (0..rows).step_by(BLOCK) {
        for c0 in (0..cols).step_by(BLOCK) {
            let (r1, c1) = ((r0 + BLOCK).min(rows), (c0 + BLOCK).min(cols));
            piece(src, dst, (rows, cols), (r0, r1), (c0, c1));
        }
    }
}
// ANCHOR_END: blocked

// ANCHOR: recursive
/// Halves the longer side until a piece has at most [`LEAF`] elements.
#[inline(never)]
pub fn recursive(rows: usize, cols: usize, src: &[u32], dst: &mut [u32]) {
    check(rows, cols, src, dst);
    split(src, dst, (rows, cols), (0, rows), (0, cols));
}

fn split(
    src: &[u32],
    dst: &mut [u32],
    dims: (usize, usize),
    (r0, r1): (usize, usize),
    (c0, c1): (usize, usize),
) {
    if (r1 - r0) * (c1 - c0) <= LEAF {
        piece(src, dst, dims, (r0, r1), (c0, c1));
    } else if r1 - r0 >= c1 - c0 {
        let mid = r0 + (r1 - r0) / 2;
        split(src, dst, dims, (r0, mid), (c0, c1));
        split(src, dst, dims, (mid, r1), (c0, c1));
    } else {
        let mid = c0 + (c1 - c0) / 2;
        split(src, dst, dims, (r0, r1), (c0, mid));
        split(src, dst, dims, (r0, r1), (mid, c1));
    }
}
// ANCHOR_END: recursive

/// The three versions, as both harnesses name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transpose {
    /// [`naive`].
    Naive,
    /// [`blocked`].
    Blocked,
    /// [`recursive`].
    Recursive,
}

impl Transpose {
    /// All three, in the order the chapter shows them.
    pub const ALL: [Transpose; 3] = [Transpose::Naive, Transpose::Blocked, Transpose::Recursive];

    /// The function name both harnesses use.
    pub fn name(self) -> &'static str {
        match self {
            Transpose::Naive => "naive",
            Transpose::Blocked => "blocked",
            Transpose::Recursive => "recursive",
        }
    }

    /// Runs this version.
    pub fn run(self, rows: usize, cols: usize, src: &[u32], dst: &mut [u32]) {
        match self {
            Transpose::Naive => naive(rows, cols, src, dst),
            Transpose::Blocked => blocked(rows, cols, src, dst),
            Transpose::Recursive => recursive(rows, cols, src, dst),
        }
    }
}

/// An `n` x `n` matrix whose element `(r, c)` is `r * n + c`, and a zeroed one for its
/// transpose.
pub fn square(n: usize) -> (Vec<u32>, Vec<u32>) {
    ((0..(n * n) as u32).collect(), vec![0; n * n])
}
