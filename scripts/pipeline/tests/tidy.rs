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
