// Lab 8, SIMD: a sum that is not one long chain.
//
// Every addition below waits for the one before it, and because floating-point addition
// is not associative the compiler may not reorder them into vector lanes. Chapter 8
// splits the sum into independent accumulators. The grader counts instructions,
// against the starting code's; the wall-clock gain, shown for information, has a second
// cause the count does not see.

/// The sum of `values`. Any order of addition is accepted whose result is within a
/// relative `1e-5` of the exact sum of their magnitudes (the values are never
/// negative).
pub fn sum(values: &[f32]) -> f32 {
    let mut total = 0.0;
    for &v in values {
        total += v;
    }
    total
}
