// Lab 7, branches: a filter the predictor cannot guess.
//
// On random input, whether the next value is kept is a coin toss, and so is the branch
// that decides it: the predictor is wrong about half the time. Chapter 7 keeps the
// decision out of the control flow. The grader counts simulated mispredicted
// conditional branches per element.

/// Appends to `out`, in order, every value of `values` below `limit`.
pub fn keep_below(values: &[u32], limit: u32, out: &mut Vec<u32>) {
    for &v in values {
        if v < limit {
            out.push(v);
        }
    }
}
