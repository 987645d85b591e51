//! The labs' probe: runs every lab's correctness checks on the implementation being graded,
//! counts the allocations of its measured call and of the starting code's, and (unless
//! `LABS_WALL=0`) times both, interleaved, for information. It prints one tab-separated record
//! per line for the grader:
//!
//! ```text
//! from    <directory the implementations came from>
//! units   <lab>  <count>  <unit>
//! fail    <lab>  <what is wrong>
//! allocs  <lab>  <mine|start>  <allocations>
//! nanos   <lab>  <mine|start>  <median nanoseconds>
//! ```

use std::hint::black_box;
use std::time::Instant;

use benchkit::alloc::Counting;
use labs::work::{self, mine, start};

#[global_allocator]
static ALLOC: Counting<std::alloc::System> = Counting::new(std::alloc::System);

/// Rounds of the wall-clock comparison; each round times both versions once, in alternating
/// order.
const ROUNDS: usize = 15;

/// One implementation's measured call on a freshly prepared input.
type Call = Box<dyn Fn() -> (u64, u64)>;

/// A call that prepares its input (not measured), then runs the lab's call once, returning the
/// allocations and nanoseconds of the run alone.
macro_rules! call {
    ($m:ident, $prep:ident, $run:ident) => {
        Box::new(|| {
            let mut input = $m::$prep();
            let t = Instant::now();
            let (out, usage) = ALLOC.measure(|| $m::$run(black_box(&mut input)));
            let nanos = t.elapsed().as_nanos() as u64;
            let _ = black_box(out);
            (usage.allocations, nanos)
        }) as Call
    };
}

/// A lab's two implementations, and how much work one call does.
macro_rules! lab {
    ($lab:literal, $prep:ident, $run:ident, $units:expr, $unit:literal) => {
        (
            $lab,
            call!(mine, $prep, $run),
            call!(start, $prep, $run),
            $units,
            $unit,
        )
    };
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n'], " ")
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    let wall = std::env::var("LABS_WALL").map_or(true, |v| v != "0");
    let labs: Vec<(&str, Call, Call, usize, &str)> = vec![
        lab!(
            "lab01",
            lab01_prepare,
            lab01_run,
            work::LAB01_RESAMPLES,
            "resample"
        ),
        lab!(
            "lab02",
            lab02_prepare,
            lab02_run,
            labs::start::lab02::N,
            "word"
        ),
        lab!("lab03", lab03_prepare, lab03_run, work::LAB03_WORDS, "word"),
        lab!(
            "lab04",
            lab04_prepare,
            lab04_run,
            work::LAB04_RECORDS,
            "recorded latency"
        ),
        lab!(
            "lab05",
            lab05_prepare,
            lab05_run,
            work::LAB05_N * work::LAB05_N,
            "element"
        ),
        lab!(
            "lab06",
            lab06_prepare,
            lab06_run,
            work::LAB06_PARTICLES,
            "particle"
        ),
        lab!(
            "lab07",
            lab07_prepare,
            lab07_run,
            work::LAB07_VALUES,
            "value"
        ),
        lab!(
            "lab08",
            lab08_prepare,
            lab08_run,
            work::LAB08_VALUES,
            "value"
        ),
        lab!(
            "lab09",
            lab09_prepare,
            lab09_run,
            work::LAB09_SHAPES,
            "shape"
        ),
    ];
    println!("from\t{}", clean(labs::FROM));
    for ((name, check), (lab, mine, start, units, unit)) in labs::checks::ALL.iter().zip(&labs) {
        assert_eq!(
            name, lab,
            "the checks and the probe list the labs in one order"
        );
        println!("units\t{lab}\t{units}\t{unit}");
        let failures = std::panic::catch_unwind(check)
            .unwrap_or_else(|_| vec!["the checks panicked (the message is above)".to_string()]);
        for f in &failures {
            println!("fail\t{lab}\t{}", clean(f));
        }
        if !failures.is_empty() {
            continue;
        }
        let (mine_allocs, _) = mine();
        let (start_allocs, _) = start();
        println!("allocs\t{lab}\tmine\t{mine_allocs}");
        println!("allocs\t{lab}\tstart\t{start_allocs}");
        if wall {
            let (mut m, mut s) = (Vec::new(), Vec::new());
            for r in 0..ROUNDS {
                if r % 2 == 0 {
                    m.push(mine().1);
                    s.push(start().1);
                } else {
                    s.push(start().1);
                    m.push(mine().1);
                }
            }
            println!("nanos\t{lab}\tmine\t{}", median(m));
            println!("nanos\t{lab}\tstart\t{}", median(s));
        }
    }
}
