//! Seeded inputs for code that still reaches them through `benchkit`: the book's generator and
//! its vectors live in the `inputs` crate, which chapter libraries depend on directly (it brings
//! no benchmark harness with it). `WyRand` is the generator's former name here.

pub use inputs::{Rng, Rng as WyRand, random_bytes, random_f32s, random_u32s, random_u64s};
