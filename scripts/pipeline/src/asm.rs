//! Assembly listings: the compiler's code for functions a chapter's declarations name, taken
//! from a real build of the chapter's library, so a listing changes when the code does.
//!
//! The library is compiled as the benchmarks use it (`--release`: the bench profile's
//! optimisation) with `--emit asm` into a target directory of its own, so the benchmark build
//! is not invalidated. Each named function's body is cut out of the `.s` file with assembler
//! directives removed; labels and loop comments stay, and mangled symbols become Rust paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace::{Chapter, Workspace};

/// The artifact name under which the listing of `symbol` is stored in a results file.
pub fn artifact_name(symbol: &str) -> String {
    format!("asm:{symbol}")
}

/// Compiles `ch`'s library to assembly and returns the listing of each of `symbols` (Rust
/// paths such as `ch09::dispatch::sum_dyn`) by artifact name.
pub fn listings(
    ws: &Workspace,
    ch: &Chapter,
    symbols: &[String],
) -> Result<BTreeMap<String, String>> {
    if symbols.is_empty() {
        return Ok(BTreeMap::new());
    }
    let target = ws.target_dir().join("book-asm");
    eprintln!("[{}] compiling the library to assembly", ch.package);
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&ws.root)
        .args(["rustc", "--release", "--lib", "--quiet", "-p", &ch.package])
        .arg("--target-dir")
        .arg(&target)
        .args(["--", "--emit", "asm"]);
    if cfg!(target_arch = "x86_64") {
        cmd.args(["-C", "llvm-args=-x86-asm-syntax=intel"]);
    }
    let status = cmd.status().context("cannot start cargo")?;
    if !status.success() {
        bail!(
            "compiling {} to assembly failed (cargo's errors are above)",
            ch.package
        );
    }
    let file = newest_asm(&target.join("release/deps"), &ch.package.replace('-', "_"))?;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut out = BTreeMap::new();
    for s in symbols {
        let body = extract(&text, s).with_context(|| {
            format!(
                "{} declares a listing of `{s}`, but {} has no such function: list a non-generic function of the library that is not inlined away (`#[inline(never)] pub fn`), by its path (`{}::module::name`)",
                ch.decl_path().display(),
                file.display(),
                ch.package
            )
        })?;
        out.insert(artifact_name(s), body);
    }
    Ok(out)
}

fn newest_asm(deps: &Path, crate_name: &str) -> Result<PathBuf> {
    let prefix = format!("{crate_name}-");
    let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
    for e in std::fs::read_dir(deps).with_context(|| format!("cannot read {}", deps.display()))? {
        let p = e?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(&prefix) && name.ends_with(".s") {
            let t = p.metadata()?.modified()?;
            if best.as_ref().is_none_or(|(b, _)| t > *b) {
                best = Some((t, p));
            }
        }
    }
    best.map(|(_, p)| p)
        .with_context(|| format!("rustc wrote no {prefix}*.s in {}", deps.display()))
}

/// The Rust path of a mangled symbol without its hash, if it is one.
fn demangled(sym: &str) -> Option<String> {
    rustc_demangle::try_demangle(sym)
        .ok()
        .map(|d| format!("{d:#}"))
}

/// Replaces every mangled Rust symbol in an instruction line with its path.
fn demangle_operands(line: &str) -> String {
    let mut out = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let (sym, suffix) = match token.split_once('@') {
            Some((a, b)) => (a.to_string(), format!("@{b}")),
            None => (token.clone(), String::new()),
        };
        match demangled(&sym) {
            Some(d) if sym.starts_with("_ZN") || sym.starts_with("_R") => {
                out.push_str(&d);
                out.push_str(&suffix);
            }
            _ => out.push_str(token),
        }
        token.clear();
    };
    for c in line.chars() {
        if c.is_ascii_alphanumeric() || "_$.@".contains(c) {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// Splits a line into code and comment: `#` after whitespace (x86) or `//` (AArch64, whose
/// immediates are written `#1`).
fn split_comment(t: &str) -> (&str, Option<&str>) {
    let at = [
        t.find("//"),
        t.find("# ")
            .filter(|&i| i == 0 || t[..i].ends_with(char::is_whitespace)),
    ]
    .into_iter()
    .flatten()
    .min();
    match at {
        Some(i) => {
            let c = t[i..].trim_start_matches(['/', '#']).trim();
            (t[..i].trim_end(), Some(c))
        }
        None => (t, None),
    }
}

/// The body of the function whose demangled path is `symbol`, cleaned for reading.
pub fn extract(asm: &str, symbol: &str) -> Option<String> {
    let mut lines = asm.lines();
    lines.find(|l| {
        l.strip_suffix(':')
            .filter(|name| !name.starts_with('.') && !name.contains(char::is_whitespace))
            .and_then(demangled)
            .is_some_and(|d| d == symbol)
    })?;
    // First the lines that may stay; a local label stays if it is a basic block or if an
    // instruction of the body jumps to it (labels written inside `asm!` become `.Ltmp`).
    let mut body: Vec<(Option<&str>, String)> = Vec::new();
    for l in lines {
        let t = l.trim();
        if t.starts_with(".Lfunc_end") || t == ".cfi_endproc" || t.starts_with(".size") {
            break;
        }
        let (code, comment) = split_comment(t);
        let loop_note = comment.filter(|c| c.contains("Loop"));
        if code.is_empty() {
            body.extend(loop_note.map(|c| (None, format!("    # {c}"))));
        } else if let Some(label) = code.strip_suffix(':') {
            let shown = match loop_note {
                Some(c) => format!("{code}  # {c}"),
                None => code.to_string(),
            };
            body.push((Some(label), shown));
        } else if !code.starts_with('.') {
            body.push((
                None,
                format!("    {}", demangle_operands(code).replace('\t', " ")),
            ));
        }
    }
    let targets: std::collections::BTreeSet<&str> = body
        .iter()
        .filter(|(label, _)| label.is_none())
        .flat_map(|(_, code)| {
            code.split(|c: char| !(c.is_ascii_alphanumeric() || "_.$".contains(c)))
        })
        .filter(|w| w.starts_with(".L"))
        .collect();
    let mut out = vec![format!("{symbol}:")];
    for (label, text) in &body {
        let keep = match label {
            None => true,
            Some(l) => {
                l.starts_with(".LBB")
                    || targets.contains(l)
                    || l.chars().all(|c| c.is_ascii_digit())
            }
        };
        if keep {
            out.push(text.clone());
        }
    }
    Some(out.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "\t.section\t.text._ZN4ch093sum17h0123456789abcdefE,\"ax\",@progbits
\t.globl\t_ZN4ch093sum17h0123456789abcdefE
\t.p2align\t4
\t.type\t_ZN4ch093sum17h0123456789abcdefE,@function
_ZN4ch093sum17h0123456789abcdefE:
.Lfunc_begin0:
\t.cfi_startproc
\t.loc\t1 3 0
# %bb.0:
\ttest\trsi, rsi
\tje\t.LBB0_1
\tjne\t.Ltmp7
.Ltmp6:
.Ltmp7:
.LBB0_2:                                # =>This Inner Loop Header: Depth=1
\tadd\teax, dword ptr [rdi]
\tcall\tqword ptr [rip + _ZN4core9panicking5panic17h0123456789abcdefE@GOTPCREL]
.Ltmp3:
\tret
.Lfunc_end0:
\t.size\t_ZN4ch093sum17h0123456789abcdefE, .Lfunc_end0-_ZN4ch093sum17h0123456789abcdefE
_ZN4ch094main17h0123456789abcdefE:
\tret
";

    #[test]
    fn a_function_is_cut_out_with_directives_gone_and_symbols_readable() {
        let got = extract(S, "ch09::sum").unwrap();
        assert_eq!(
            got,
            "ch09::sum:\n    test rsi, rsi\n    je .LBB0_1\n    jne .Ltmp7\n.Ltmp7:\n\
             .LBB0_2:  # =>This Inner Loop Header: Depth=1\n    add eax, dword ptr [rdi]\n    \
             call qword ptr [rip + core::panicking::panic@GOTPCREL]\n    ret\n"
        );
        assert!(extract(S, "ch09::missing").is_none());
        assert_eq!(extract(S, "ch09::main").unwrap(), "ch09::main:\n    ret\n");
    }
}
