// Lab 7, reference solution: every value is written, and the write position advances by the
// comparison's result (0 or 1), so the only branch left is the loop's own.

/// Appends to `out`, in order, every value of `values` below `limit`.
pub fn keep_below(values: &[u32], limit: u32, out: &mut Vec<u32>) {
    let start = out.len();
    out.resize(start + values.len(), 0);
    let buf = &mut out[start..];
    let mut kept = 0;
    for &v in values {
        buf[kept] = v;
        kept += usize::from(v < limit);
    }
    out.truncate(start + kept);
}
