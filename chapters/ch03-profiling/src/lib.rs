//! Chapter 03, profiling: where does a program spend its time, and what does it cost to ask?
//!
//! - [`workload`]: the program under study, four named phases of different cost.
//! - [`folded`]: folded stacks, the text a flame graph is drawn from.
//! - [`sampler`]: pprof-rs around a piece of work, its report turned into folded stacks.
//! - [`overhead`]: the time a sampling profiler adds, against its frequency.
//! - [`perf`]: a `perf_event_open(2)` reader of hardware and software counters that says
//!   which events this machine lets it open.
//! - [`perf_record`]: `perf record -e cpu-clock` on the same workload, its stacks folded as
//!   pprof's are.
//! - [`callgrind`]: the same workload under callgrind, and `callgrind_annotate`'s report of it.
//!
//! [`cases`] lists what both benchmark harnesses run.

pub mod callgrind;
pub mod cases;
pub mod folded;
pub mod overhead;
pub mod perf;
pub mod perf_record;
pub mod sampler;
pub mod workload;
