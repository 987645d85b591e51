//! Chapter 08, SIMD: four kernels (a sum, a dot product, a byte search and a filter) written
//! as a plain scalar loop, as a loop shaped for the compiler's vectoriser, and with
//! `std::arch` intrinsics for SSE2, AVX2 and AVX-512 chosen at run time; the number of
//! accumulators against throughput; loop transformations; and the machine's read bandwidth as
//! the ceiling of them all.
//!
//! - [`isa`]: which instruction sets the CPU has, detected at run time.
//! - [`sum`], [`dot`], [`find`], [`filter`]: the four kernels, every version of each.
//! - [`c`]: the same kernels compiled from C, with and without AVX2 and fast-math flags.
//! - [`accumulators`]: one sum with 1 to 16 independent accumulators.
//! - [`autovec`]: loops the vectoriser can and cannot handle (reassociation, bounds checks,
//!   aliasing).
//! - [`loops`]: loop fusion, interchange and tiling.
//! - [`ceiling`]: the multiply-add and copy ceilings of the dot product and the filter.
//! - [`stream`]: a plain read of a buffer with the widest loads, the bandwidth reference.
//! - [`input`]: the seeded inputs of every experiment, on cache-line boundaries.
//!
//! [`cases`] lists what both benchmark harnesses run, so that a time and a count with the same
//! id describe the same work.
//!
//! Every x86 module is compiled only for `x86_64`; on any other target the portable versions
//! remain, [`isa::Isa::available`] answers `false` for every x86 level, and the tests run the
//! portable code alone.

// Off x86_64 the dispatching functions only panic, and leave their slice arguments unused.
#![cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]

pub mod accumulators;
pub mod autovec;
pub mod c;
pub mod cases;
pub mod ceiling;
pub mod dot;
pub mod filter;
pub mod find;
pub mod input;
pub mod isa;
pub mod loops;
pub mod stream;
pub mod sum;
