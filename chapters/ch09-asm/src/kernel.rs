//! Kernels written in assembly beside the compiler's code for the same job.
//!
//! - A wrapping sum of `u64`: the compiler's loop ([`sum_compiler`]), a loop written with
//!   `asm!` ([`sum_asm`]; four `add`s to a trip in [`sum_asm_unrolled`]), and the same loop
//!   as a whole function in `global_asm!`
//!   ([`sum_global_asm`]).
//! - CRC-32C (the Castagnoli polynomial of iSCSI, ext4 and SSE 4.2): a byte-at-a-time table
//!   ([`crc32c_table`]), the compiler's code for the SSE 4.2 `crc32` instruction through its
//!   intrinsic ([`crc32c_intrinsic`]), and a loop written with `asm!` around the same
//!   instruction ([`crc32c_asm`]).
//!
//! The assembly is x86-64 only. On other targets, and on x86-64 processors without SSE 4.2,
//! every function falls back to the portable version, so the crate builds and its tests pass
//! everywhere.

// ANCHOR: sum_compiler
/// The wrapping sum of `xs`, as the compiler writes it.
#[inline(never)]
pub fn sum_compiler(xs: &[u64]) -> u64 {
    xs.iter().fold(0u64, |acc, &x| acc.wrapping_add(x))
}
// ANCHOR_END: sum_compiler

// ANCHOR: sum_asm
/// The wrapping sum of `xs`, one `add` per element in a loop written with `asm!`.
#[cfg(target_arch = "x86_64")]
#[inline(never)]
pub fn sum_asm(xs: &[u64]) -> u64 {
    let mut acc: u64 = 0;
    // SAFETY: the loop reads exactly `xs.len()` elements starting at `xs.as_ptr()`, all inside
    // the slice; it writes only the registers named as outputs, touches no stack and leaves the
    // flags to the compiler (no `preserves_flags`).
    unsafe {
        core::arch::asm!(
            "test {n}, {n}",
            "jz 3f",
            "2:",
            "add {acc}, qword ptr [{p}]",
            "add {p}, 8",
            "dec {n}",
            "jnz 2b",
            "3:",
            acc = inout(reg) acc,
            p = inout(reg) xs.as_ptr() => _,
            n = inout(reg) xs.len() => _,
            options(nostack, readonly),
        );
    }
    acc
}
// ANCHOR_END: sum_asm

/// The wrapping sum of `xs` (portable fallback of the `asm!` version).
#[cfg(not(target_arch = "x86_64"))]
#[inline(never)]
pub fn sum_asm(xs: &[u64]) -> u64 {
    sum_compiler(xs)
}

// ANCHOR: sum_asm_unrolled
/// The same chain of `add`s into one accumulator as [`sum_asm`], four to a trip around the
/// loop: one pointer update and one jump per four elements instead of per element. If the
/// chain of `add`s sets the pace of [`sum_asm`], both take the same time per element; if the
/// loop around it does, this one is faster.
#[cfg(target_arch = "x86_64")]
#[inline(never)]
pub fn sum_asm_unrolled(xs: &[u64]) -> u64 {
    let mut acc: u64 = 0;
    let blocks = xs.len() / 4;
    // SAFETY: the loop reads `4 * blocks` elements starting at `xs.as_ptr()`, and
    // `4 * blocks <= xs.len()` (no overflow: it is `xs.len()` rounded down), all inside the
    // slice; it writes only the registers named as outputs, touches no stack and leaves the
    // flags to the compiler (no `preserves_flags`).
    unsafe {
        core::arch::asm!(
            "test {n}, {n}",
            "jz 3f",
            "2:",
            "add {acc}, qword ptr [{p}]",
            "add {acc}, qword ptr [{p} + 8]",
            "add {acc}, qword ptr [{p} + 16]",
            "add {acc}, qword ptr [{p} + 24]",
            "add {p}, 32",
            "dec {n}",
            "jnz 2b",
            "3:",
            acc = inout(reg) acc,
            p = inout(reg) xs.as_ptr() => _,
            n = inout(reg) blocks => _,
            options(nostack, readonly),
        );
    }
    xs[blocks * 4..].iter().fold(acc, |a, &x| a.wrapping_add(x))
}
// ANCHOR_END: sum_asm_unrolled

/// The wrapping sum of `xs` (portable fallback of the unrolled `asm!` version).
#[cfg(not(target_arch = "x86_64"))]
#[inline(never)]
pub fn sum_asm_unrolled(xs: &[u64]) -> u64 {
    sum_compiler(xs)
}

// ANCHOR: global_asm
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
core::arch::global_asm!(
    ".pushsection .text.ch09_sum_global,\"ax\",@progbits",
    ".globl ch09_sum_global",
    ".type ch09_sum_global,@function",
    ".p2align 4",
    // System V calling convention: rdi = pointer, rsi = length, result in rax.
    "ch09_sum_global:",
    "xor eax, eax",
    "test rsi, rsi",
    "jz 3f",
    "2:",
    "add rax, qword ptr [rdi]",
    "add rdi, 8",
    "dec rsi",
    "jnz 2b",
    "3:",
    "ret",
    ".size ch09_sum_global, . - ch09_sum_global",
    ".popsection",
);

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
unsafe extern "sysv64" {
    /// The function defined by `global_asm!` above.
    fn ch09_sum_global(ptr: *const u64, len: usize) -> u64;
}

/// The wrapping sum of `xs`, by the function written in `global_asm!`.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
pub fn sum_global_asm(xs: &[u64]) -> u64 {
    // SAFETY: `ch09_sum_global` reads `len` `u64` from `ptr`, which is exactly the slice, and
    // follows the System V calling convention declared above (it clobbers only rax, rdi, rsi
    // and the flags, all caller-saved).
    unsafe { ch09_sum_global(xs.as_ptr(), xs.len()) }
}
// ANCHOR_END: global_asm

/// The wrapping sum of `xs` (portable fallback of the `global_asm!` version).
#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
pub fn sum_global_asm(xs: &[u64]) -> u64 {
    sum_compiler(xs)
}

/// The CRC-32C polynomial, bit-reversed (the form a least-significant-bit-first CRC uses).
pub const CRC32C_POLY: u32 = 0x82f6_3b78;

/// The byte-at-a-time table, computed at compile time.
static CRC32C_TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ CRC32C_POLY
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

// ANCHOR: crc_table
/// CRC-32C of `data`, one table lookup per byte: portable, and what the compiler makes of it.
#[inline(never)]
pub fn crc32c_table(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc = CRC32C_TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}
// ANCHOR_END: crc_table

/// Whether this processor has the `crc32` instruction (SSE 4.2).
pub fn has_crc32_instruction() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sse4.2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

// ANCHOR: crc_intrinsic
/// CRC-32C of `data` with the `crc32` instruction through the compiler's intrinsics, eight
/// bytes per instruction; compiled for SSE 4.2.
///
/// # Safety
/// The processor must support SSE 4.2 (see [`has_crc32_instruction`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.2")]
#[inline(never)]
pub fn crc32c_sse42(data: &[u8]) -> u32 {
    use core::arch::x86_64::{_mm_crc32_u8, _mm_crc32_u64};
    let mut crc = !0u64;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        crc = _mm_crc32_u64(crc, u64::from_le_bytes(w.try_into().unwrap()));
    }
    let mut crc = crc as u32;
    for &b in words.remainder() {
        crc = _mm_crc32_u8(crc, b);
    }
    !crc
}
// ANCHOR_END: crc_intrinsic

/// CRC-32C of `data`: [`crc32c_sse42`] where the processor has SSE 4.2, else the table.
pub fn crc32c_intrinsic(data: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if has_crc32_instruction() {
        // SAFETY: the processor supports SSE 4.2, checked just above.
        return unsafe { crc32c_sse42(data) };
    }
    crc32c_table(data)
}

// ANCHOR: crc_asm
/// CRC-32C of `data` with the `crc32` instruction in a loop written with `asm!`: eight bytes per
/// instruction, then the remaining bytes one at a time.
///
/// # Safety
/// The processor must support SSE 4.2 (see [`has_crc32_instruction`]).
#[cfg(target_arch = "x86_64")]
#[inline(never)]
pub unsafe fn crc32c_asm_sse42(data: &[u8]) -> u32 {
    let mut crc: u64 = 0xffff_ffff;
    let words = data.len() / 8;
    let tail = data.len() % 8;
    // SAFETY: the first loop reads `words` 8-byte words from the start of `data`, the second
    // the `tail` bytes after them: `8 * words + tail == data.len()` bytes in all, inside the
    // slice. `crc32` exists because the caller guarantees SSE 4.2. Only the registers named as
    // operands are written; no stack is used.
    unsafe {
        core::arch::asm!(
            "test {w}, {w}",
            "jz 3f",
            "2:",
            "crc32 {crc}, qword ptr [{p}]",
            "add {p}, 8",
            "dec {w}",
            "jnz 2b",
            "3:",
            "test {t}, {t}",
            "jz 5f",
            "4:",
            "crc32 {crc:e}, byte ptr [{p}]",
            "inc {p}",
            "dec {t}",
            "jnz 4b",
            "5:",
            crc = inout(reg) crc,
            p = inout(reg) data.as_ptr() => _,
            w = inout(reg) words => _,
            t = inout(reg) tail => _,
            options(nostack, readonly),
        );
    }
    !(crc as u32)
}
// ANCHOR_END: crc_asm

/// CRC-32C of `data`: [`crc32c_asm_sse42`] where the processor has SSE 4.2, else the table.
pub fn crc32c_asm(data: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if has_crc32_instruction() {
        // SAFETY: the processor supports SSE 4.2, checked just above.
        return unsafe { crc32c_asm_sse42(data) };
    }
    crc32c_table(data)
}
