//! Chapter 09, the compiler's assembly: what the compiler makes of a function, and the levers
//! that change it.
//!
//! - [`kernel`]: two kernels written with `core::arch::asm!` (and one with `global_asm!`) beside
//!   the compiler's code for the same job: a sum of `u64`, and CRC-32C.
//! - [`inlining`]: one small function under `#[inline]`, `#[inline(always)]` and
//!   `#[inline(never)]`, and an error path kept inline or split off with `#[cold]`.
//! - [`dispatch`]: generics, enum `match`, `&dyn Trait` and `Box<dyn Trait>`, over one type and
//!   over a mixture of types.
//! - [`lto`]: loops that call `ch09_callee` across a crate boundary, built under several profiles
//!   (link-time optimisation, codegen units) by the wall harness.
//!
//! Every function whose assembly the chapter's page shows is a non-generic `pub fn` marked
//! `#[inline(never)]`, so that it exists as a symbol of the library. [`cases`] lists the sizes
//! and seeds both benchmark harnesses use.

pub mod cases;
pub mod dispatch;
pub mod inlining;
pub mod kernel;
pub mod lto;
