//! Loops the compiler's vectoriser handles and loops it does not, each beside the change that
//! lets it in. (The early exit of a search is the fourth reason; [`crate::find`] measures it.)

// ANCHOR: sum_u32
/// A `u32` sum written exactly like the scalar `f32` sum. Wrapping integer addition is
/// associative, so the compiler may reorder it, and vectorises this loop on its own.
#[inline(never)]
pub fn sum_u32(x: &[u32]) -> u32 {
    let mut s = 0u32;
    for &v in x {
        s = s.wrapping_add(v);
    }
    s
}
// ANCHOR_END: sum_u32

// ANCHOR: indexed
/// The wrapping sum of `a[i] - b[i]` over `0..n`, indexing both slices. Each `a[i]` and `b[i]`
/// is a bounds check that may panic at exactly element `i`, after the elements before it have
/// been added: written so, the loop has three exits, the textbook case of a loop a vectoriser
/// gives up on. LLVM computes where the first check would fail (`min(n, a.len(), b.len())`),
/// vectorises the loop up to there and keeps the checks for the scalar rest; the chapter shows
/// the listing.
///
/// # Panics
/// When `n` exceeds either length.
#[inline(never)]
pub fn diff_sum_indexed(a: &[u32], b: &[u32], n: usize) -> u32 {
    let mut s = 0u32;
    for i in 0..n {
        s = s.wrapping_add(a[i].wrapping_sub(b[i]));
    }
    s
}

/// The same loop after one line that slices both inputs to `n` first: one check before the
/// loop, and inside it the compiler can prove every index in bounds.
///
/// # Panics
/// When `n` exceeds either length.
#[inline(never)]
pub fn diff_sum_sliced(a: &[u32], b: &[u32], n: usize) -> u32 {
    let (a, b) = (&a[..n], &b[..n]);
    let mut s = 0u32;
    for i in 0..n {
        s = s.wrapping_add(a[i].wrapping_sub(b[i]));
    }
    s
}
// ANCHOR_END: indexed

// ANCHOR: alias
/// `dst[i] += src[i]` on slices: a `&mut` and a `&` never overlap, so the compiler knows that
/// no store can change a later load, and vectorises without asking.
#[inline(never)]
pub fn add_slices(dst: &mut [f32], src: &[f32]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d += s;
    }
}

/// The same loop on raw pointers, which may overlap. The compiler vectorises it behind a test
/// made at run time (do the two ranges overlap?) and keeps a scalar copy of the loop for when
/// they do.
///
/// # Safety
/// `dst` must be valid for reads and writes and `src` for reads of `n` elements; they may
/// overlap.
#[inline(never)]
pub unsafe fn add_raw(dst: *mut f32, src: *const f32, n: usize) {
    for i in 0..n {
        // SAFETY: i < n, and the caller guarantees n valid elements behind both pointers.
        unsafe { *dst.add(i) += *src.add(i) };
    }
}
// ANCHOR_END: alias

/// [`add_raw`] on two disjoint halves of `buf`: the run-time test passes and the vector loop
/// runs.
pub fn add_raw_disjoint(buf: &mut [f32]) {
    let half = buf.len() / 2;
    let p = buf.as_mut_ptr();
    // SAFETY: `p .. p + half` and `p + half .. p + 2 * half` lie inside `buf` and do not
    // overlap.
    unsafe { add_raw(p.add(half), p, half) }
}

/// [`add_raw`] with `dst` one element past `src`: `buf[i + 1] += buf[i]`, a running sum in which
/// every element needs the one just written. The run-time test fails, and the scalar copy runs
/// (as it must: no reordering could be correct).
pub fn add_raw_overlapping(buf: &mut [f32]) {
    let Some(n) = buf.len().checked_sub(1) else {
        return;
    };
    let p = buf.as_mut_ptr();
    // SAFETY: both ranges, `p .. p + n` and `p + 1 .. p + 1 + n`, lie inside `buf`; `add_raw`
    // allows overlap.
    unsafe { add_raw(p.add(1), p, n) }
}
