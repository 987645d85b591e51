//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these lists, and the ids they give each case (`group/function/case`) are the
//! ids that `figures.toml` names.

/// Floats per sum, per accumulator case and per fused pass at the small size: 16 KiB, a third
/// of this machine's 48 KiB L1 data cache, so that loads hit L1 and the kernel's own work is
/// what is measured.
pub const L1_FLOATS: usize = 4096;

/// Where, in bytes past a cache-line boundary, the offset sums start their 16 KiB (every other
/// array in the chapter starts on the boundary). Wall clock only: where the data starts changes
/// no instruction.
pub const SUM_OFFSETS: [usize; 2] = [16, 32];

/// Floats in each of the two dot-product inputs (32 KiB together, inside L1).
pub const DOT_FLOATS: usize = 4096;

/// Bytes of the byte-search haystack: 1 MiB, with the needle in its last byte.
pub const FIND_LEN: usize = 1 << 20;

/// The byte searched for.
pub const NEEDLE: u8 = b'\n';

/// Elements per filter call (16 KiB in, up to 16 KiB out).
pub const FILTER_LEN: usize = 4096;

/// The filter keeps elements below this threshold: half of all `u32`, so that with random
/// input half pass, in random order.
pub const FILTER_THRESHOLD: u32 = 1 << 31;

/// Elements per call of the autovectorisation examples.
pub const AUTOVEC_LEN: usize = 4096;

/// Working-set sizes of the bandwidth sweep, in KiB: from inside L1 (16 KiB) to 1 GiB, every
/// factor of four.
pub const SWEEP_KIB: [usize; 9] = [16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576];

/// Sizes of the fusion experiment, in KiB: inside L1, and 256 MiB, served from beyond the
/// caches.
pub const FUSION_KIB: [usize; 2] = [16, 262_144];

/// Side of the square `u32` matrix of the interchange and tiling experiment: 2,000 (16 MB,
/// not a power of two, so that the rows of a column do not all fall in the same cache sets).
pub const MATRIX_SIDE: usize = 2000;

/// Seed of every input.
pub const SEED: u64 = 0x5eed_0008;

/// The id of a working-set case: `kib16`.
pub fn kib_case(kib: usize) -> String {
    format!("kib{kib}")
}

/// Floats in `kib` KiB.
pub fn floats_in(kib: usize) -> usize {
    kib * 1024 / 4
}

/// The id of an accumulator case: `acc8`.
pub fn acc_case(n: usize) -> String {
    format!("acc{n}")
}
