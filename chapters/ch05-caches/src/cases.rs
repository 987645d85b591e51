//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these lists, and the ids they give each case are the ids that
//! `figures.toml` names.

/// Working-set sizes of the latency ladder and the bandwidth sweep, in KiB: every power of two
/// from 4 KiB (one base page) to 1 GiB, past the last-level cache of the machines this book
/// has run on, so that the last steps are served by DRAM.
pub const WORKING_SETS_KIB: [usize; 19] = {
    let mut sizes = [0; 19];
    let mut i = 0;
    while i < sizes.len() {
        sizes[i] = 4 << i;
        i += 1;
    }
    sizes
};

/// Seed of every random cycle; fixed so that every run walks the same order.
pub const CHASE_SEED: u64 = 0x5eed_0005;

/// The id of a working-set case, as both harnesses name it: `kib4`, `kib1048576`.
pub fn kib_case(kib: usize) -> String {
    format!("kib{kib}")
}

/// Lines in a working set of `kib` KiB.
pub fn lines_in(kib: usize) -> usize {
    kib * 1024 / crate::pages::LINE
}

/// Matrix sides of the transpose experiment (square matrices of `u32`). They are not powers of
/// two: a power-of-two side puts the rows of a column in few cache sets (chapter 1 measured
/// what that does), which would mix a second effect into this one.
pub const TRANSPOSE_SIDES: [usize; 5] = [64, 250, 1000, 2000, 4000];

/// The id of a transpose case: `n4096`.
pub fn side_case(n: usize) -> String {
    format!("n{n}")
}

/// Working sets of the simulated ladder under callgrind, in KiB: inside its simulated L1,
/// between its L1 and its last level, and beyond its last level.
pub const SIM_WORKING_SETS_KIB: [usize; 3] = [16, 1024, 65536];

/// Dependent loads per simulated walk.
pub const SIM_STEPS: u64 = 100_000;

/// Matrix sides counted under callgrind: one whose matrices fit its simulated L1 cache and one
/// whose column of `dst` lines does not; no larger, because callgrind runs about fifty times
/// slower than the processor.
pub const SIM_TRANSPOSE_SIDES: [usize; 2] = [64, 1000];
