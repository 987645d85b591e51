//! Cold data on demand: evicting a buffer from the caches, for real and for callgrind.
//!
//! A benchmark that calls the same function on the same buffer again and again finds the
//! buffer in the cache from the second call on. [`flush`] takes it out of every level of the
//! hierarchy, so the next call finds it in memory. Callgrind simulates its own cache and
//! ignores the flush instruction, so the counting harness uses an [`Evictor`] instead: a buffer
//! larger than the simulated cache, read from end to end.

/// Bytes per cache line on the machines this book runs on (x86_64, and most aarch64): the
/// book's one definition, from its shared inputs.
pub use inputs::LINE;

// ANCHOR: flush
/// Writes back and evicts every cache line that holds a byte of `data`, from every
/// level of the cache hierarchy, and waits until that is done.
pub fn flush<T>(data: &[T]) {
    let bytes = std::mem::size_of_val(data);
    if bytes == 0 {
        return;
    }
    let start = data.as_ptr().cast::<u8>();
    // One address per line: steps of a line from the first byte, and the last byte,
    // which may sit in a line the steps skip when `data` does not start at a line
    // boundary.
    let offsets = (0..bytes).step_by(LINE).chain(std::iter::once(bytes - 1));
    for offset in offsets {
        // SAFETY: `offset < bytes`, so the pointer is inside `data`, which is
        // borrowed for the whole call. Flushing a line changes where its bytes are,
        // never what they are.
        unsafe { flush_line(start.add(offset)) };
    }
    fence();
}
// ANCHOR_END: flush

/// Evicts the cache line holding `p`.
///
/// # Safety
/// `p` must point into memory that is mapped for the whole call.
#[cfg(target_arch = "x86_64")]
unsafe fn flush_line(p: *const u8) {
    // SAFETY: the caller guarantees that `p` is mapped; `clflush` is part of SSE2, which every
    // x86_64 processor has.
    unsafe { std::arch::x86_64::_mm_clflush(p) }
}

#[cfg(target_arch = "x86_64")]
fn fence() {
    // SAFETY: `mfence` touches no memory of its own and is part of SSE2, which every x86_64
    // processor has. It orders the flushes before every later load: the benchmark that
    // follows finds the lines gone, not on their way out.
    unsafe { std::arch::x86_64::_mm_mfence() }
}

/// Evicts the cache line holding `p`.
///
/// # Safety
/// `p` must point into memory that is mapped for the whole call.
#[cfg(target_arch = "aarch64")]
unsafe fn flush_line(p: *const u8) {
    // SAFETY: the caller guarantees that `p` is mapped. `dc civac` (clean and invalidate by
    // virtual address to the point of coherency) is allowed at user level on Linux.
    unsafe { std::arch::asm!("dc civac, {0}", in(reg) p, options(nostack, preserves_flags)) }
}

#[cfg(target_arch = "aarch64")]
fn fence() {
    // SAFETY: a barrier instruction; it touches no memory and no registers.
    unsafe { std::arch::asm!("dsb ish", options(nostack, preserves_flags)) }
}

/// Elsewhere: no flush instruction is used; reading a buffer far larger than any cache evicts
/// everything else instead (slowly).
///
/// # Safety
/// None needed; `unsafe` only to match the other architectures.
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
unsafe fn flush_line(_p: *const u8) {}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
fn fence() {
    static BIG: std::sync::OnceLock<Evictor> = std::sync::OnceLock::new();
    std::hint::black_box(BIG.get_or_init(|| Evictor::new(1 << 30)).evict());
}

/// A buffer that pushes everything else out of a cache when read from end to end.
pub struct Evictor {
    buf: Vec<u8>,
}

impl Evictor {
    /// A buffer of `bytes` bytes, each line of it written once so that it is really mapped.
    /// Give it at least twice the size of the cache to empty.
    pub fn new(bytes: usize) -> Evictor {
        Evictor {
            buf: (0..bytes).map(|i| i as u8).collect(),
        }
    }

    /// Reads one byte of every line, in order, and returns their sum (so that the reads are
    /// not optimised away). A least-recently-used cache smaller than the buffer then holds
    /// only lines of the buffer.
    pub fn evict(&self) -> u64 {
        self.buf
            .iter()
            .step_by(LINE)
            .map(|&b| u64::from(std::hint::black_box(b)))
            .sum()
    }

    /// The buffer's size in bytes.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether the buffer is empty (and so evicts nothing).
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
}
