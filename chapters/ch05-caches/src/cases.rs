//! The cases the chapter measures, declared once. `benches/wall.rs` (criterion) registers its
//! benchmarks from [`all`], `benches/instr.rs` (gungraun) names each of its `#[bench]` cases
//! after one of them, and `figures.toml` names them by the same ids.

use bookproto::{Case, case_name, sweep};

use crate::pages::{ALL_PAGES, pages_name};
use crate::transpose::Transpose;

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

/// The case name of a working-set case, as [`all`] names it: `kib4`, `kib1048576`.
pub fn kib_case(kib: usize) -> String {
    case_name("kib", kib as f64)
}

/// Lines in a working set of `kib` KiB.
pub fn lines_in(kib: usize) -> usize {
    kib * 1024 / crate::pages::LINE
}

/// Pages of the TLB experiment's chases, `tlb/{sparse,dense}/pages<N>`: from fewer than a
/// first-level data TLB holds to many times what any second-level TLB holds. `sparse` visits one
/// line in each of `N` pages (`N` translations); `dense` visits the same number of lines packed
/// into `N / 64` pages, so both walks touch the same number of lines, and differ in
/// translations alone.
pub const TLB_PAGES: [usize; 8] = [64, 256, 1024, 2048, 4096, 8192, 16384, 65536];

/// Working sets of the page-by-page chase, `tlb/grouped/kib<size>`, in KiB: every line of the
/// buffer, page by page in random page order and random line order inside a page, so that a
/// translation serves 64 loads and the step in latency falls where the cache ends.
pub const GROUPED_KIB: [usize; 12] = [
    1024, 2048, 4096, 5120, 6144, 7168, 8192, 16384, 32768, 65536, 131072, 262144,
];

/// Strides of the line-size experiment, `stride/read/b<stride>`, in bytes: from one word to one
/// 4 KiB page, through the line size.
pub const STRIDES: [usize; 10] = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

/// The buffer the timed strided reads run over, in KiB: 1 GiB, so that even at the largest
/// stride the lines read (one per page) far outgrow the caches.
pub const STRIDE_KIB: usize = 1 << 20;

/// The buffer the counted strided reads run over under callgrind, in KiB: larger than its
/// simulated L1 many times over, and small enough to fill quickly under callgrind.
pub const SIM_STRIDE_KIB: usize = 16 << 10;

/// Words read per counted strided read under callgrind, the same at every stride.
pub const SIM_STRIDE_WORDS: u64 = 100_000;

/// The case name of a stride case: `b64`.
pub fn stride_case(stride: usize) -> String {
    case_name("b", stride as f64)
}

/// The case name of a TLB case with `pages` pages: `pages64`.
pub fn pages_case(pages: usize) -> String {
    case_name("pages", pages as f64)
}

/// Matrix sides of the transpose experiment (square matrices of `u32`). They are not powers of
/// two: a power-of-two side puts the rows of a column in few cache sets (chapter 1 measured
/// what that does), which would mix a second effect into this one.
pub const TRANSPOSE_SIDES: [usize; 5] = [64, 250, 1000, 2000, 4000];

/// The case name of a transpose case, as [`all`] names it: `n4000`.
pub fn side_case(n: usize) -> String {
    case_name("n", n as f64)
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

/// Every case of the chapter:
///
/// - `ladder/<pages>/kib<size>`: the latency of a dependent load in a working set of `kib` KiB
///   over base and over huge pages (one case per size and [`Pages`], size by size), with the
///   share of huge pages recorded beside it; `ladder/policy/thp`: the kernel's
///   transparent-huge-page policy;
/// - `bandwidth/read/kib<size>`: reading `kib` KiB line by line;
/// - `tlb/{sparse,dense}/pages<N>` and `tlb/grouped/kib<size>`: the TLB experiment's chases
///   ([`TLB_PAGES`], [`GROUPED_KIB`]), over base pages;
/// - `stride/read/b<stride>`: one word every `stride` bytes ([`STRIDES`]), timed over
///   [`STRIDE_KIB`] and counted under callgrind over [`SIM_STRIDE_KIB`];
/// - `sim/chase/kib<size>`: the dependent loads counted in callgrind's simulated caches;
/// - `transpose/<version>/n<side>`: each [`Transpose`] of a square matrix of side `side`, side by
///   side; callgrind counts the sides of [`SIM_TRANSPOSE_SIDES`].
pub fn all() -> Vec<Case> {
    let machine = "the machine's caches, TLB and memory, which callgrind neither has nor times; \
                   its simulated caches are counted in sim/chase";
    let kib = |group: &str, function: &str, kib: usize| {
        Case::new(group, function, &kib_case(kib)).param("kib", kib as f64)
    };
    let mut cases: Vec<Case> = WORKING_SETS_KIB
        .iter()
        .flat_map(|&size| ALL_PAGES.map(|pages| kib("ladder", pages_name(pages), size)))
        .map(|c| c.wall_only(machine))
        .collect();
    cases.push(Case::new("ladder", "policy", "thp").wall_only(
        "custom measurement by the wall harness: the kernel's transparent-huge-page policy",
    ));
    cases.extend(
        WORKING_SETS_KIB
            .iter()
            .map(|&size| kib("bandwidth", "read", size).wall_only(machine)),
    );
    for order in ["sparse", "dense"] {
        cases.extend(TLB_PAGES.iter().map(|&n| {
            Case::new("tlb", order, &pages_case(n))
                .param("pages", n as f64)
                .wall_only(machine)
        }));
    }
    cases.extend(
        GROUPED_KIB
            .iter()
            .map(|&size| kib("tlb", "grouped", size).wall_only(machine)),
    );
    cases.extend(
        STRIDES
            .iter()
            .map(|&b| Case::new("stride", "read", &stride_case(b)).param("stride", b as f64)),
    );
    cases.extend(
        sweep(
            "sim",
            "chase",
            "kib",
            "kib",
            SIM_WORKING_SETS_KIB.map(|k| k as f64),
        )
        .into_iter()
        .map(|c| {
            c.instr_only(
                "callgrind's simulated caches of fixed sizes, counted over SIM_STEPS loads; \
                 the machine's ladder is timed in ladder/*",
            )
        }),
    );
    for side in TRANSPOSE_SIDES {
        for t in Transpose::ALL {
            let case =
                Case::new("transpose", t.name(), &side_case(side)).param("side", side as f64);
            cases.push(if SIM_TRANSPOSE_SIDES.contains(&side) {
                case
            } else {
                case.wall_only(
                    "callgrind runs about fifty times slower than the processor: it counts \
                     only the sides of SIM_TRANSPOSE_SIDES",
                )
            });
        }
    }
    // The A/A control: the 64 MiB read again, at the end of the run.
    cases.push(kib("bandwidth", "read", 65536).twin());
    cases
}
