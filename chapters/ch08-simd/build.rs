//! Compiles `csrc/kernels.c`, the C versions of the chapter's kernels, once per flavour with
//! gcc (the `cc` crate's C compiler) at `-O3`: `base` with no other flag (the x86-64 baseline,
//! SSE2, as Rust's default target), `avx2` with `-mavx2 -mfma`, and the two again with
//! `-ffast-math`, which lets the compiler reorder floating-point operations. Each flavour's
//! functions carry its name (`ch08_c_sum_scalar_avx2`); `src/c.rs` declares and wraps them.

/// The flavours: their name and their flags beyond `-O3`.
const FLAVOURS: [(&str, &[&str]); 4] = [
    ("base", &[]),
    ("avx2", &["-mavx2", "-mfma"]),
    ("fast", &["-ffast-math"]),
    ("fast_avx2", &["-ffast-math", "-mavx2", "-mfma"]),
];

fn main() {
    println!("cargo::rerun-if-changed=csrc/kernels.c");
    println!("cargo::rerun-if-changed=build.rs");
    // Only x86-64 has the flavours' flags; elsewhere the C kernels are not built and
    // `src/c.rs` compiles to nothing.
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("x86_64") {
        return;
    }
    for (name, flags) in FLAVOURS {
        let mut build = cc::Build::new();
        build
            .file("csrc/kernels.c")
            .opt_level(3)
            .define("FLAVOUR", name)
            .flag("-std=c11")
            .warnings(true)
            .extra_warnings(true);
        for f in flags {
            build.flag(f);
        }
        build.compile(&format!("ch08_c_{name}"));
    }
}
