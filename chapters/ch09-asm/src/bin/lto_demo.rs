//! Times the loops of `ch09::lto` in the profile this program was built with.
//!
//! - `lto_demo time <samples>`: for each case, `<samples>` timings of a batch of calls; prints
//!   one line per case, `time <case> <median ns per element>`.
//! - `lto_demo run <case> <calls>`: calls the case's loop `<calls>` times and prints the result;
//!   the wall harness runs this under callgrind with two call counts and takes the difference,
//!   which leaves the instructions of the calls alone.
//!
//! The wall harness (`benches/wall.rs`) builds this program under several profiles and records
//! what it prints.

use std::hint::black_box;
use std::time::Instant;

use ch09::cases::LTO_LEN;
use ch09::lto::{CASES, input};

/// Calls per timed batch: long enough (tens of microseconds) for the clock's resolution.
const BATCH: usize = 64;

fn loop_of(name: &str) -> fn(&[u64]) -> u64 {
    CASES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no case {name:?}; the cases are {:?}", CASES.map(|c| c.0)))
        .1
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let xs = input(LTO_LEN);
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["time", samples] => {
            let samples: usize = samples.parse().expect("samples is a number");
            for (name, f) in CASES {
                // Warm up: caches, the branch predictor and the clock speed.
                for _ in 0..BATCH * 4 {
                    black_box(f(black_box(&xs)));
                }
                let mut t: Vec<f64> = (0..samples)
                    .map(|_| {
                        let start = Instant::now();
                        for _ in 0..BATCH {
                            black_box(f(black_box(&xs)));
                        }
                        start.elapsed().as_nanos() as f64 / (BATCH * LTO_LEN) as f64
                    })
                    .collect();
                t.sort_by(f64::total_cmp);
                println!("time {name} {}", t[t.len() / 2]);
            }
        }
        ["run", name, calls] => {
            let f = loop_of(name);
            let calls: usize = calls.parse().expect("calls is a number");
            let mut acc = 0u64;
            for _ in 0..calls {
                acc = acc.wrapping_add(f(black_box(&xs)));
            }
            println!("{}", black_box(acc));
        }
        _ => {
            eprintln!("usage: lto_demo time <samples> | lto_demo run <case> <calls>");
            std::process::exit(2);
        }
    }
}
