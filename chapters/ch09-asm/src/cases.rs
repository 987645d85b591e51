//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) build their inputs from these sizes and seeds, and give each case the same id
//! (`group/function/case`), the ids `figures.toml` names.

/// `u64` summed per call of the sum kernels: 32 KiB, inside the L1 data cache.
pub const SUM_LEN: usize = 4096;

/// Bytes checksummed per call of the CRC-32C kernels: 16 KiB.
pub const CRC_LEN: usize = 16 * 1024;

/// `u32` scored per call of the inlining experiment.
pub const SCORE_LEN: usize = 4096;

/// Values applied per call of the dispatch experiments, and items in the mixed collection.
pub const DISPATCH_LEN: usize = 4096;

/// Elements per call of the LTO experiment's loops.
pub const LTO_LEN: usize = 4096;

/// Seed of every input of the chapter.
pub const SEED: u64 = 0x5eed_0901;

/// The profiles the LTO experiment builds `lto_demo` with, as `(profile, case id)`: `release`
/// is Cargo's default (thin LTO within the crate only, 16 codegen units); the others are declared
/// in the workspace's `Cargo.toml`.
pub const LTO_PROFILES: [(&str, &str); 5] = [
    ("ch09-lto-off", "off"),
    ("release", "default"),
    ("ch09-cgu1", "cgu1"),
    ("ch09-lto-thin", "thin"),
    ("ch09-lto-fat", "fat"),
];
