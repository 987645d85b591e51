//! The same code, the same values, a different layout.
//!
//! [`Grid`] holds [`ROWS`] rows of `u32`, each row [`COLS`] values long and followed by padding,
//! so that consecutive rows start `pitch` bytes apart (the row pitch). [`column_sums`] adds up each column,
//! walking down the rows. Between the cases of the experiment only the padding changes: not the
//! code, not the values, not the number of loads. A header placed before each record, a
//! different allocation size or a matrix whose width happens to be a power of two changes a
//! layout in exactly this way.

/// Rows in the grid.
pub const ROWS: usize = 64;
/// Values summed per row: one 64-byte cache line of `u32`.
pub const COLS: usize = 16;

// ANCHOR: kernel
/// Sums each of the first `COLS` columns of a grid whose rows are `pitch` elements apart.
///
/// `inline(never)` keeps one copy of the machine code for every caller, so every case of the
/// experiment runs the very same instructions.
#[inline(never)]
pub fn column_sums(data: &[u32], pitch: usize) -> [u32; COLS] {
    let mut out = [0u32; COLS];
    for (c, sum) in out.iter_mut().enumerate() {
        for row in data.chunks_exact(pitch) {
            *sum = sum.wrapping_add(row[c]);
        }
    }
    out
}
// ANCHOR_END: kernel

/// A grid of [`ROWS`] rows whose starts are `pitch_bytes` bytes apart.
pub struct Grid {
    data: Vec<u32>,
    pitch: usize,
}

impl Grid {
    /// Builds the grid; value `(r, c)` is `r * COLS + c`, padding is zero.
    ///
    /// # Panics
    /// If `pitch_bytes` is not a multiple of 4 (the size of a `u32`) or shorter than a row.
    pub fn new(pitch_bytes: usize) -> Grid {
        assert!(
            pitch_bytes.is_multiple_of(4) && pitch_bytes >= COLS * 4,
            "a pitch of {pitch_bytes} bytes is not a whole number of u32 at least one row long"
        );
        let pitch = pitch_bytes / 4;
        let mut data = vec![0u32; ROWS * pitch];
        for (r, row) in data.chunks_exact_mut(pitch).enumerate() {
            for (c, x) in row[..COLS].iter_mut().enumerate() {
                *x = (r * COLS + c) as u32;
            }
        }
        Grid { data, pitch }
    }

    /// Bytes from the start of one row to the start of the next.
    pub fn pitch_bytes(&self) -> usize {
        self.pitch * 4
    }

    /// Runs the kernel once.
    pub fn run(&self) -> [u32; COLS] {
        column_sums(&self.data, self.pitch)
    }
}
