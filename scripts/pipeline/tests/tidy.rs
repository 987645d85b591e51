//! Tidy tests: the repository keeps the shape that 28 chapters depend on. Each test reads the
//! tree, not the pipeline's API, in the manner of rust-analyzer's `tidy.rs`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Every chapter crate directory, `chapters/chNN-slug`.
fn chapter_dirs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("chapters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("ch") && n.contains('-'))
        })
        .collect();
    out.sort();
    out
}

fn files_below(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_below(&p, ext));
        } else if p.extension().and_then(|x| x.to_str()) == Some(ext) {
            out.push(p);
        }
    }
    out
}

#[test]
fn every_chapter_has_the_shape_of_a_chapter() {
    for dir in chapter_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        for f in ["Cargo.toml", "figures.toml", "src/lib.rs", "src/cases.rs"] {
            assert!(dir.join(f).is_file(), "{name} has no {f}");
        }
        let manifest = read(&dir.join("Cargo.toml"));
        assert!(
            manifest.contains("[lints]\nworkspace = true"),
            "{name}/Cargo.toml does not take the workspace lints (`[lints] workspace = true`)"
        );
        let doc: toml::Table = toml::from_str(&manifest).unwrap();
        let benches: Vec<&str> = doc
            .get("bench")
            .and_then(|b| b.as_array())
            .into_iter()
            .flatten()
            .filter_map(|b| b.get("name")?.as_str())
            .collect();
        assert!(
            benches.iter().any(|b| b.starts_with("wall"))
                && benches.iter().any(|b| b.starts_with("instr")),
            "{name} needs a `wall*` and an `instr*` bench target, has {benches:?}"
        );
        let wall = read(&dir.join("benches/wall.rs"));
        assert!(
            wall.contains("benchkit::main!"),
            "{name}/benches/wall.rs must end in `benchkit::main!(cases = ...; targets = ...)`, which writes and checks the case list"
        );
        assert!(
            read(&dir.join("src/cases.rs")).contains("pub fn all()"),
            "{name}/src/cases.rs must declare the case list `pub fn all() -> Vec<bookproto::Case>`"
        );
    }
}

#[test]
fn a_chapter_is_in_the_table_of_contents_or_on_the_roadmap_never_both() {
    let summary = read(&root().join("src/SUMMARY.md"));
    let roadmap = read(&root().join("src/roadmap.md"));
    for dir in chapter_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let (number, slug) = name[2..].split_once('-').unwrap();
        let listed = summary.contains(&format!("({name}.md)"));
        let planned = roadmap
            .lines()
            .any(|l| l.starts_with(&format!("| {}. {slug} ", number.trim_start_matches('0'))));
        assert!(
            listed != planned,
            "{name} must be in src/SUMMARY.md (complete) or on src/roadmap.md (planned), not {}",
            if listed { "both" } else { "neither" }
        );
        if listed {
            assert!(
                root().join(format!("src/{name}.md")).is_file(),
                "src/SUMMARY.md lists {name}.md, which does not exist"
            );
        }
    }
}

#[test]
fn chapters_draw_random_inputs_from_the_shared_generator_only() {
    for dir in chapter_dirs() {
        for f in files_below(&dir.join("src"), "rs")
            .into_iter()
            .chain(files_below(&dir.join("benches"), "rs"))
        {
            let text = read(&f);
            for bad in [
                "struct SplitMix",
                "struct WyRand",
                "struct Xorshift",
                "struct Rng",
            ] {
                assert!(
                    !text.contains(bad),
                    "{} defines its own generator (`{bad}`): use the `inputs` crate's",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn benches_take_their_ids_from_the_case_list() {
    for dir in chapter_dirs() {
        for f in files_below(&dir.join("benches"), "rs") {
            let text = read(&f);
            for (n, line) in text.lines().enumerate() {
                assert!(
                    !line.contains("BenchmarkId::new"),
                    "{}:{}: a criterion id built by hand; register the case with `benchkit::id(&case)`",
                    f.display(),
                    n + 1
                );
            }
        }
    }
}

#[test]
fn unsafe_code_in_the_shared_crates_and_chapters_carries_a_safety_comment() {
    let mut dirs: Vec<PathBuf> = chapter_dirs();
    dirs.extend(
        ["scripts/benchkit", "scripts/bookproto", "scripts/pipeline"].map(|d| root().join(d)),
    );
    for dir in dirs {
        for f in files_below(&dir, "rs") {
            let text = read(&f);
            let lines: Vec<&str> = text.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                let t = l.trim_start();
                if t.starts_with("//") || !t.contains("unsafe {") || t.contains('"') {
                    continue;
                }
                let above = lines[i.saturating_sub(6)..i].join("\n");
                assert!(
                    above.contains("SAFETY:") || l.contains("SAFETY:"),
                    "{}:{}: an `unsafe` block without a `// SAFETY:` comment above it",
                    f.display(),
                    i + 1
                );
            }
        }
    }
}

/// The units after which a typed number is a measurement or a fact about the machine.
const UNITS: [&str; 22] = [
    "ns", "µs", "us", "ms", "s", "GB/s", "MB/s", "GiB", "MiB", "KiB", "GB", "MB", "kB", "%", "×",
    "cycles", "cycle", "GHz", "MHz", "Hz", "bytes", "byte",
];

/// Numbers with a unit in `line` (prose only: inline code, includes and HTML tags removed),
/// except inside the phrases the page defines.
fn typed_numbers(line: &str, defined: &[String]) -> Vec<String> {
    let mut text = String::new();
    let mut rest = line;
    // Drop inline code, includes and tags.
    while let Some(i) = rest.find(['`', '{', '<']) {
        text.push_str(&rest[..i]);
        let (open, close) = match rest.as_bytes()[i] {
            b'`' => ("`", "`"),
            b'{' if rest[i..].starts_with("{{") => ("{{", "}}"),
            b'<' => ("<", ">"),
            _ => {
                text.push('{');
                rest = &rest[i + 1..];
                continue;
            }
        };
        match rest[i + open.len()..].find(close) {
            Some(j) => rest = &rest[i + open.len() + j + close.len()..],
            None => {
                rest = "";
            }
        }
        text.push(' ');
    }
    text.push_str(rest);
    for d in defined {
        // A defined phrase counts where it stands alone: `4 KiB` does not exempt `64 KiB`.
        let mut kept = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(d.as_str()) {
            let before = rest[..i].chars().next_back();
            let alone = before.is_none_or(|c| !c.is_alphanumeric() && c != '.' && c != ',');
            kept.push_str(&rest[..i]);
            kept.push_str(if alone { " " } else { d.as_str() });
            rest = &rest[i + d.len()..];
        }
        kept.push_str(rest);
        text = kept;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || "_.-/".contains(chars[i - 1])));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || ",.".contains(chars[j])) {
            j += 1;
        }
        let num: String = chars[i..j]
            .iter()
            .collect::<String>()
            .trim_end_matches([',', '.'])
            .to_string();
        let mut k = j;
        if k < chars.len() && (chars[k] == ' ' || chars[k] == '\u{a0}' || chars[k] == '-') {
            k += 1;
        }
        let tail: String = chars[k..chars.len().min(k + 8)].iter().collect();
        if let Some(u) = UNITS.iter().find(|u| {
            tail.starts_with(**u)
                && tail[u.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        }) {
            out.push(format!("{num} {u}"));
        }
        i = j.max(i + 1);
    }
    out
}

#[test]
fn page_prose_types_no_measured_number() {
    let mut hits = Vec::new();
    // Every page the book's author writes: `src/` and its folders, not the generated files.
    let src = root().join("src");
    let mut pages: Vec<PathBuf> = files_below(&src, "md")
        .into_iter()
        .filter(|p| !p.starts_with(src.join("generated")))
        .collect();
    pages.sort();
    for page in pages {
        let text = read(&page);
        // A page lists the phrases it defines (a 64-byte line, a 4 KiB page, a size an
        // experiment is set to) in a comment: `<!-- defined: 64-byte line; 4 KiB page -->`.
        let defined: Vec<String> = text
            .split("<!-- defined:")
            .skip(1)
            .filter_map(|s| s.split("-->").next())
            .flat_map(|s| s.split(';').map(|p| p.trim().to_string()))
            .filter(|p| !p.is_empty())
            .collect();
        let mut in_code = false;
        let mut in_comment = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if line.contains("<!--") {
                in_comment = !line.contains("-->");
                continue;
            }
            if in_comment {
                in_comment = !line.contains("-->");
                continue;
            }
            if in_code {
                continue;
            }
            for t in typed_numbers(line, &defined) {
                hits.push(format!(
                    "{}:{}: `{t}`",
                    page.strip_prefix(root().join("src"))
                        .unwrap_or(&page)
                        .display(),
                    n + 1
                ));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "page prose types numbers with units; quote a measured one with a [[value]] (or state it as a claim), and list a defined one (a 64-byte line, a size an experiment is set to) in the page's `<!-- defined: ... -->` comment:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_typed_number_scanner_finds_units_and_skips_code_includes_and_definitions() {
    let d = vec!["64-byte line".to_string()];
    assert_eq!(typed_numbers("a load takes 4.2 ns here", &d), ["4.2 ns"]);
    assert_eq!(typed_numbers("a 64-byte line and 3×", &d), ["3 ×"]);
    assert!(typed_numbers("`1 ns` {{#include generated/ch05/value-x.md}} ch05 v2", &d).is_empty());
    assert_eq!(
        typed_numbers("16 KiB and 1,024 bytes", &d),
        ["16 KiB", "1,024 bytes"]
    );
}
