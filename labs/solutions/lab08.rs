// Lab 8, reference solution: sixteen independent partial sums, which the compiler can keep
// in vector registers (it executes well under half the starting code's instructions), and a
// final sum of the partial sums and the tail.

/// Partial sums.
const LANES: usize = 16;

/// The sum of `values` (see the starting code).
pub fn sum(values: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = values.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a += v;
        }
    }
    acc.iter().sum::<f32>() + tail.iter().sum::<f32>()
}
