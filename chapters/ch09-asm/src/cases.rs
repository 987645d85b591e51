//! The cases the chapter measures, declared once, and the sizes and seeds their inputs are built
//! from. `benches/wall.rs` (criterion, and the LTO experiment's own measurements) registers its
//! benchmarks and records from [`all`], `benches/instr.rs` (gungraun) names each of its
//! `#[bench]` cases after one of them, and `figures.toml` names them by the same ids
//! (`group/function/case`).

use bookproto::Case;

/// `u64` summed per call of the sum kernels: 32 KiB, inside the L1 data cache.
pub const SUM_LEN: usize = 4096;

/// Bytes checksummed per call of the CRC-32C kernels: 16 KiB.
pub const CRC_LEN: usize = 16 * 1024;

/// `u32` scored per call of the inlining experiment.
pub const SCORE_LEN: usize = 4096;

/// Values applied per call of the dispatch experiments, and items in the mixed collection.
pub const DISPATCH_LEN: usize = 4096;

/// Random orders of the mixed collection that the `orders16` cases cycle through, one per
/// iteration: 16 × 4,096 items, 131,072 conditional outcomes of the enum's `match`, beyond the
/// 8 × 1,024 that chapter 2 measured this kind of predictor to memorise.
pub const DISPATCH_ORDERS: usize = 16;

/// Elements per call of the LTO experiment's loops.
pub const LTO_LEN: usize = 4096;

/// Seed of every input of the chapter.
pub const SEED: u64 = 0x5eed_0901;

/// The profiles the LTO experiment builds `lto_demo` with, as `(profile, the function part of
/// its ids)`: `release`
/// is Cargo's default (thin LTO within the crate only, 16 codegen units); the others are declared
/// in the workspace's `Cargo.toml`.
pub const LTO_PROFILES: [(&str, &str); 5] = [
    ("ch09-lto-off", "off"),
    ("release", "default"),
    ("ch09-cgu1", "cgu1"),
    ("ch09-lto-thin", "thin"),
    ("ch09-lto-fat", "fat"),
];

/// The instruction-set levels the target-cpu experiment builds `lto_demo` for, in the release
/// profile, as `(the function part of its ids, the value of `-C target-cpu`, whether callgrind
/// can count the program)`. `baseline` passes no flag: the target's own level, SSE2. `x86-64-v3`
/// adds AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT and MOVBE, which valgrind 3.19 executes;
/// `native` is every extension of the machine that builds it, AVX-512 included where it has it,
/// which valgrind 3.19 does not execute, so that level is timed only.
pub const CPU_LEVELS: [(&str, Option<&str>, bool); 3] = [
    ("baseline", None, true),
    ("v3", Some("x86-64-v3"), true),
    ("native", Some("native"), false),
];

/// Every case of the chapter:
///
/// - `kernel/{sum,crc32c}/*`: the kernels written by the compiler, with intrinsics and in
///   assembly;
/// - `inlining/{score,checked_sum}/*`: the scoring loops under each inlining attribute, and the
///   validating sums with their error path inline or cold;
/// - `one_type/mul/*` and `mixed/<dispatch>/<order>`: static and dynamic dispatch over one type
///   and over a mixed collection (`random`: one random order, replayed; `sorted`: sorted by type;
///   `orders16`: a different random order each iteration, [`DISPATCH_ORDERS`] in turn);
/// - `lto/<profile>/<loop>`: each loop of [`crate::lto::CASES`] in `lto_demo` built under each
///   profile of [`LTO_PROFILES`], which the wall harness times and counts itself;
/// - `cpu/<level>/<loop>`: the same loops in `lto_demo` built in the release profile for each
///   level of [`CPU_LEVELS`].
pub fn all() -> Vec<Case> {
    let named = |group: &str, function: &str, cases: &[&str]| -> Vec<Case> {
        cases
            .iter()
            .map(|c| Case::new(group, function, c))
            .collect()
    };
    let mut cases: Vec<Case> = named(
        "kernel",
        "sum",
        &["compiler", "asm", "asm_unrolled", "global_asm"],
    )
    .into_iter()
    .map(|c| c.param("elements", SUM_LEN as f64))
    .collect();
    cases.extend(named("kernel", "crc32c", &["table", "intrinsic", "asm"]));
    cases.extend(named(
        "inlining",
        "score",
        &["plain", "inline", "always", "never"],
    ));
    cases.extend(named(
        "inlining",
        "checked_sum",
        &["inline_error", "cold_error"],
    ));
    cases.extend(named(
        "one_type",
        "mul",
        &["generic", "enum_match", "dyn_known", "dyn_ref", "dyn_box"],
    ));
    cases.extend(named("mixed", "boxed", &["random", "sorted"]));
    for dispatch in ["dyn_ref", "enum_match", "grouped"] {
        cases.extend(named("mixed", dispatch, &["random"]));
    }
    for dispatch in ["boxed", "dyn_ref", "enum_match"] {
        cases.push(Case::new("mixed", dispatch, "orders16").wall_only(
            "cycles through DISPATCH_ORDERS orders, one per iteration, which one counted call \
             cannot; callgrind's count of one order is the `random` case's",
        ));
    }
    for (_, profile) in LTO_PROFILES {
        cases.extend(crate::lto::CASES.map(|(name, _)| {
            Case::new("lto", profile, name).wall_only(
                "custom measurement by the wall harness: lto_demo built under each profile, \
                                  timed by its own clock and counted by callgrind over the whole program",
            )
        }));
    }
    for (level, _, _) in CPU_LEVELS {
        cases.extend(crate::lto::CASES.map(|(name, _)| {
            let case = Case::new("cpu", level, name).wall_only(
                "custom measurement by the wall harness: lto_demo built for each instruction-set \
                 level, timed by its own clock and, where valgrind can run it, counted by \
                 callgrind over the whole program",
            );
            // x86-64-v3 is AVX2 and the extensions that came with it.
            if level == "v3" {
                case.requires("avx2")
            } else {
                case
            }
        }));
    }
    cases
}
