//! The cases the chapter measures, declared once. `benches/wall.rs` (criterion) registers its
//! benchmarks from [`all`], `benches/instr.rs` (gungraun) names each of its `#[bench]` cases
//! after one of them, and `figures.toml` names them by the same ids (`group/function/case`).
//!
//! The list is the same on every machine. The wall-clock harness times the intrinsics of the
//! levels this CPU runs and no others: the AVX-512 cases `require` AVX-512 (the pipeline asks
//! for them only from a CPU that has it), and an SSE2 or AVX2 case this CPU cannot run is the
//! instruction-count harness's only. That harness counts the SSE2 and AVX2 versions wherever it
//! runs and no AVX-512 one (valgrind cannot execute AVX-512 instructions).

use bookproto::{Case, case_name, sweep};

use crate::accumulators::COUNTS;
use crate::isa::Isa;

/// Floats per sum, per accumulator case and per fused pass at the small size: 16 KiB, half or
/// less of the L1 data cache of current x86-64 cores (32 or 48 KiB), so that loads hit L1 and
/// the kernel's own work is what is measured.
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

/// Haystack sizes of the search sweep, `find_sizes/<version>/b<bytes>`, in bytes: 16 B to
/// 1 MiB, each a fresh haystack with its needle in the last byte, starting on a line boundary.
pub const FIND_SIZES: [usize; 9] = [16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1 << 20];

/// Bytes of the haystack of the needle-position sweep, `find_positions/<version>/at<index>`.
pub const FIND_POSITIONS_LEN: usize = 1 << 16;

/// Where the needle first occurs in the needle-position sweep: the first byte, inside the
/// first vector, a few vectors in, a few lines in, and the last byte.
pub const FIND_POSITIONS: [usize; 6] = [0, 31, 255, 1023, 8191, FIND_POSITIONS_LEN - 1];

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

/// Rounds of the multiply-add ceiling, `ceiling/fma/<level>`: each round is
/// [`crate::ceiling::FMA_CHAINS`] independent vector multiply-adds, a few thousand cycles a call.
pub const FMA_ITERS: usize = 1024;

/// Seed of every input.
pub const SEED: u64 = 0x5eed_0008;

/// Floats in `kib` KiB.
pub fn floats_in(kib: usize) -> usize {
    kib * 1024 / 4
}

/// Why the instruction-count harness has no AVX-512 case.
const NO_AVX512: &str = "valgrind 3.19 cannot execute AVX-512 instructions";

/// The CPU feature, as results files name it, that code compiled for `isa` needs.
fn feature(isa: Isa) -> &'static str {
    match isa {
        Isa::Sse2 => "sse2",
        Isa::Avx2 => "avx2",
        Isa::Avx512 => "avx512f",
    }
}

/// `case`, which runs code compiled for `isa`, as the harnesses register it: the
/// instruction-count harness where `counted` (it counts SSE2 and AVX2 code on every machine),
/// the wall-clock harness where this CPU runs the level. A case the instruction-count harness
/// does not count (`wall_why` says why) is the wall-clock harness's only and requires the
/// level's feature, so it is asked for only from a CPU that has it.
fn on_isa(case: Case, isa: Isa, counted: bool, wall_why: &str) -> Option<Case> {
    Some(match (isa.available(), counted) {
        (true, true) => case,
        (false, true) => case.instr_only(&format!(
            "this CPU does not run {}: the wall harness times only the levels it runs",
            isa.name()
        )),
        (_, false) => case.wall_only(wall_why).requires(feature(isa)),
    })
}

/// The cases of one kernel over one input (`group/function/<version>`): the portable
/// versions, which both harnesses measure, then one per level of [`Isa::ALL`] ([`on_isa`]).
fn kernel(group: &str, function: &str, portable: &[&str]) -> Vec<Case> {
    let mut cases: Vec<Case> = portable
        .iter()
        .map(|v| Case::new(group, function, v))
        .collect();
    cases.extend(Isa::ALL.into_iter().filter_map(|isa| {
        on_isa(
            Case::new(group, function, isa.name()),
            isa,
            isa != Isa::Avx512,
            NO_AVX512,
        )
    }));
    cases
}

/// The versions of each kernel in the C experiment (`c/<kernel>/<version>`): the Rust loops
/// (`rust`, and for the sum `rust_lanes`, `sum_lanes::<32>`), and the same loops compiled from C
/// in each flavour of [`crate::c::Flavour`] (`c`, `c_avx2`, `c_fastmath`, `c_fastmath_avx2`;
/// `c_lanes`, `c_lanes_avx2`). Fast-math only changes floating-point code: the byte search and
/// the filter have no such versions.
pub const C_VERSIONS: [(&str, &[&str]); 4] = [
    (
        "sum_kib16",
        &[
            "rust",
            "c",
            "c_avx2",
            "c_fastmath",
            "c_fastmath_avx2",
            "rust_lanes",
            "c_lanes",
            "rust_lanes_avx2",
            "c_lanes_avx2",
        ],
    ),
    (
        "dot_kib32",
        &["rust", "c", "c_avx2", "c_fastmath", "c_fastmath_avx2"],
    ),
    ("find_kib1024", &["rust", "c", "c_avx2"]),
    ("filter_p50", &["rust", "rust_avx2", "c", "c_avx2"]),
];

/// The cases of the C experiment ([`C_VERSIONS`]): both harnesses count and time every one;
/// a version built for AVX2 is timed where the CPU has it.
fn c_cases() -> Vec<Case> {
    C_VERSIONS
        .iter()
        .flat_map(|(kernel, versions)| {
            versions.iter().filter_map(move |v| {
                let case = Case::new("c", kernel, v);
                if v.ends_with("avx2") {
                    on_isa(case, Isa::Avx2, true, NO_AVX512)
                } else if v.starts_with("c") {
                    // The C kernels are built for x86-64 only.
                    Some(case.requires("sse2"))
                } else {
                    Some(case)
                }
            })
        })
        .collect()
}

/// Every case of the chapter on this CPU:
///
/// - `sum/kib16/*`, `dot/kib32/*`, `find/kib1024/*` and `filter/p50/*`: each kernel's portable
///   versions, and its intrinsics at each level;
/// - `sum/kib16_at<offset>/*`: the two widest sums on floats that start `offset` bytes past a
///   cache-line boundary, and `find/aligned_kib1024/*`: `memchr` and the two widest searches on
///   a haystack that starts on one (wall clock only: where the data starts changes no
///   instruction);
/// - `find_positions/<version>/at<index>`: the same searches on one 64 KiB haystack with its
///   first needle at `index`;
/// - `accumulators/<version>/acc<n>`: the sum with `accumulators` independent accumulators;
/// - `autovec/n4096/*`: the autovectorisation examples;
/// - `fusion/<way>/kib<size>` and `matrix/n2000/*`: loop fusion, interchange and tiling;
/// - `bandwidth/<pass>/kib<size>`: the passes over `kib` KiB of the bandwidth figure;
/// - `c/<kernel>/<version>`: the kernels compiled from C beside the Rust loops ([`C_VERSIONS`]);
/// - `ceiling/fma/<level>`, `ceiling/read/kib32` and `ceiling/copy/kib16`: the ceilings of the
///   dot product (multiply-adds and loads) and of the filter (a copy);
/// - `dispatch/auto_kib16/{hand,multiversion}`: the shaped sum dispatched at run time by hand and by
///   the `multiversion` crate;
/// - `isa/detect/{native,valgrind}`: what run-time detection reports on the CPU and under
///   callgrind (custom measurements).
pub fn all() -> Vec<Case> {
    let offsets = "where the data starts changes no instruction: callgrind counts the sum from \
                   a cache-line boundary";
    let mut cases = vec![
        Case::new("isa", "detect", "native").wall_only(
            "custom measurement by the wall harness: what run-time detection reports on the CPU",
        ),
        Case::new("isa", "detect", "valgrind").instr_only(
            "custom measurement from inside callgrind: what run-time detection reports there",
        ),
    ];
    let sum = case_name("kib", (L1_FLOATS * 4 / 1024) as f64);
    cases.extend(kernel("sum", &sum, &["scalar", "std", "auto"]));
    cases.extend(on_isa(
        Case::new("sum", &sum, "auto_avx2"),
        Isa::Avx2,
        true,
        NO_AVX512,
    ));
    // The two widest levels, each asked for only where the CPU runs it.
    let widest = [Isa::Avx512, Isa::Avx2];
    for offset in SUM_OFFSETS {
        cases.extend(widest.iter().map(|isa| {
            Case::new(
                "sum",
                &case_name(&format!("{sum}_at"), offset as f64),
                isa.name(),
            )
            .param("offset", offset as f64)
            .wall_only(offsets)
            .requires(feature(*isa))
        }));
    }
    cases.extend(kernel(
        "dot",
        &case_name("kib", (DOT_FLOATS * 8 / 1024) as f64),
        &["scalar", "std", "auto"],
    ));
    let find = case_name("kib", (FIND_LEN / 1024) as f64);
    cases.extend(kernel(
        "find",
        &find,
        &["scalar", "std", "unrolled", "auto", "memchr"],
    ));
    let aligned = format!("aligned_{find}");
    cases.extend(
        std::iter::once("memchr")
            .map(|v| Case::new("find", &aligned, v))
            .chain(
                widest
                    .iter()
                    .map(|isa| Case::new("find", &aligned, isa.name()).requires(feature(*isa))),
            )
            .map(|c| {
                c.wall_only(
                    "what changes is whether loads split cache lines, which callgrind does not \
                     cost: it counts the searches as allocated",
                )
            }),
    );
    let sizes =
        "a sweep of sizes for the wall clock; callgrind counts the 1 MiB search in find/kib1024";
    for version in ["std", "memchr", "avx2"] {
        cases.extend(FIND_SIZES.iter().map(|&n| {
            let case = Case::new("find_sizes", version, &case_name("b", n as f64))
                .param("bytes", n as f64)
                .wall_only(sizes);
            if version == "avx2" {
                case.requires(feature(Isa::Avx2))
            } else {
                case
            }
        }));
    }
    let positions = "a sweep of needle positions for the wall clock; callgrind counts the 1 MiB \
                     search in find/kib1024";
    for version in ["std", "memchr", "avx2"] {
        cases.extend(FIND_POSITIONS.iter().map(|&at| {
            let case = Case::new("find_positions", version, &case_name("at", at as f64))
                .param("at", at as f64)
                .param("bytes", (at + 1) as f64)
                .wall_only(positions);
            if version == "avx2" {
                case.requires(feature(Isa::Avx2))
            } else {
                case
            }
        }));
    }
    cases.extend(kernel("filter", "p50", &["scalar"]));
    cases.extend(on_isa(
        Case::new("filter", "p50", "scalar_avx2"),
        Isa::Avx2,
        true,
        NO_AVX512,
    ));
    for n in COUNTS {
        // With one accumulator every addition waits for the one before, so the sum is one
        // chain of `L1_FLOATS / lanes` additions, and its time per addition is the adder's
        // latency (`chain_adds`, for cycles per addition).
        let acc = |version: &str, lanes: usize| {
            let c = Case::new("accumulators", version, &case_name("acc", n as f64))
                .param("accumulators", n as f64);
            if n == 1 {
                c.param("chain_adds", (L1_FLOATS / lanes) as f64)
            } else {
                c
            }
        };
        cases.push(acc("portable", 1));
        cases.extend(
            [(Isa::Avx2, 8), (Isa::Avx512, 16)]
                .into_iter()
                .filter_map(|(isa, lanes)| {
                    on_isa(acc(isa.name(), lanes), isa, isa != Isa::Avx512, NO_AVX512)
                }),
        );
    }
    cases.extend(
        [
            "sum_u32",
            "diff_indexed",
            "diff_sliced",
            "add_slices",
            "add_raw_disjoint",
            "add_raw_overlapping",
        ]
        .map(|e| Case::new("autovec", &case_name("n", AUTOVEC_LEN as f64), e)),
    );
    for kib in FUSION_KIB {
        for way in ["two_pass", "fused"] {
            let case =
                Case::new("fusion", way, &case_name("kib", kib as f64)).param("kib", kib as f64);
            // Callgrind counts the size inside L1, the first.
            cases.push(if kib == FUSION_KIB[0] {
                case
            } else {
                case.wall_only(
                    "an array served from beyond the caches, whose time is the memory's: \
                     callgrind, some fifty times slower, counts the size inside L1",
                )
            });
        }
    }
    cases.extend(["row_order", "column_order", "tiled"].map(|way| {
        Case::new("matrix", &case_name("n", MATRIX_SIDE as f64), way).wall_only(
            "the order of the passes over a 16 MB matrix matters through the machine's caches \
             and prefetchers, which callgrind does not simulate as the machine has them",
        )
    }));
    for kib in SWEEP_KIB {
        cases.extend(
            ["read", "scalar", "auto", "best"]
                .into_iter()
                .flat_map(|pass| sweep("bandwidth", pass, "kib", "kib", [kib as f64]))
                .map(|c| {
                    c.wall_only(
                        "the bandwidth of each level of the memory hierarchy, up to 1 GiB: time, \
                         which callgrind does not measure",
                    )
                }),
        );
    }
    cases.extend(c_cases());
    // The ceilings of the dot product and the filter.
    let ceilings = "a ceiling in time: how fast the core multiplies and adds, or copies, when \
                    nothing else limits it; callgrind counts instructions, not their speed";
    for (isa, lanes) in [(Isa::Avx2, 8), (Isa::Avx512, 16)] {
        cases.push(
            Case::new("ceiling", "fma", isa.name())
                .param("fmas", (FMA_ITERS * crate::ceiling::FMA_CHAINS) as f64)
                .param("lanes", lanes as f64)
                .wall_only(ceilings)
                .requires(feature(isa)),
        );
    }
    cases.push(
        Case::new(
            "ceiling",
            "read",
            &case_name("kib", (DOT_FLOATS * 8 / 1024) as f64),
        )
        .wall_only(ceilings),
    );
    cases.push(
        Case::new(
            "ceiling",
            "copy",
            &case_name("kib", (FILTER_LEN * 4 / 1024) as f64),
        )
        .wall_only(ceilings),
    );
    // Run-time dispatch of the shaped sum, by hand and by the `multiversion` crate; under
    // callgrind both pick AVX2, on the CPU the widest level it runs.
    cases.extend(
        ["hand", "multiversion"].map(|way| Case::new("dispatch", &format!("auto_{sum}"), way)),
    );
    // The A/A control: the auto-vectorised sum in L1 again, at the end of the run.
    let twin = cases
        .iter()
        .find(|c| c.id.group == "sum" && c.id.case == "auto" && c.id.function == sum)
        .map(Case::twin)
        .expect("the auto-vectorised sum is listed");
    cases.push(twin);
    cases
}
