//! Where things are: the chapters, their declarations, the results and the generated files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// One chapter crate.
#[derive(Clone, Debug)]
pub struct Chapter {
    /// Package name, `chNN`.
    pub package: String,
    /// Directory name, `chNN-slug`.
    pub dir_name: String,
    /// The crate's directory.
    pub dir: PathBuf,
}

impl Chapter {
    /// The chapter's declarations file.
    pub fn decl_path(&self) -> PathBuf {
        self.dir.join("figures.toml")
    }

    /// The chapter's bench targets, from its `Cargo.toml`, each with the harness its name says
    /// it is: `wall*` targets are criterion (or experiment-runner) harnesses, `instr*` targets
    /// gungraun harnesses.
    pub fn targets(&self) -> Result<Vec<Target>> {
        let manifest = self.dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        let doc: toml::Table = toml::from_str(&text)
            .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
        let mut out = Vec::new();
        for b in doc
            .get("bench")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = b.get("name").and_then(toml::Value::as_str) else {
                bail!("{}: a [[bench]] without a name", manifest.display());
            };
            let kind = if name.starts_with("wall") {
                Harness::Wall
            } else if name.starts_with("instr") {
                Harness::Instr
            } else {
                bail!(
                    "{}: bench target `{name}` is neither a `wall*` (criterion) nor an `instr*` (gungraun) harness: rename it so the pipeline knows which it is",
                    manifest.display()
                );
            };
            out.push(Target {
                name: name.to_string(),
                harness: kind,
            });
        }
        if !out.iter().any(|t| t.harness == Harness::Wall) {
            bail!(
                "{} declares no `wall` bench target: every chapter has a wall-clock harness, which also writes the chapter's case list",
                manifest.display()
            );
        }
        Ok(out)
    }
}

/// Which harness a bench target is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Harness {
    /// Criterion, or the experiment runner, under `benchkit::main!`.
    Wall,
    /// Gungraun, under callgrind.
    Instr,
}

/// One bench target of a chapter.
#[derive(Clone, Debug)]
pub struct Target {
    /// Its name (`wall`, `instr`, `wall_jemalloc`).
    pub name: String,
    /// Its harness.
    pub harness: Harness,
}

/// Where a chapter's raw benchmark output lands.
#[derive(Clone, Debug)]
pub struct ChapterDirs {
    /// `target/book-bench/<chapter>/`: one directory per bench target below it, and the log.
    pub bench: PathBuf,
    /// `target/gungraun/<chapter>/`: gungraun's own layout, one directory per target.
    pub gungraun: PathBuf,
}

impl ChapterDirs {
    /// Criterion's output of one target (`CRITERION_HOME`).
    pub fn criterion(&self, target: &str) -> PathBuf {
        self.bench.join(target).join("criterion")
    }

    /// Criterion's output of round `k` (from 1) of one wall target; round 0's is
    /// [`ChapterDirs::criterion`].
    pub fn criterion_round(&self, target: &str, k: usize) -> PathBuf {
        self.bench.join(target).join(format!("criterion-round-{k}"))
    }

    /// Custom measurements of one target (`BOOK_CUSTOM_DIR`).
    pub fn custom(&self, target: &str) -> PathBuf {
        self.bench.join(target).join("custom")
    }

    /// The case list one wall target wrote (`BOOK_CASES_FILE`).
    pub fn cases(&self, target: &str) -> PathBuf {
        self.bench.join(target).join("cases.json")
    }

    /// Text artifacts of the chapter (`BOOK_ARTIFACT_DIR`), shared by its targets.
    pub fn artifacts(&self) -> PathBuf {
        self.bench.join("artifacts")
    }

    /// The full log of the last run.
    pub fn log(&self) -> PathBuf {
        self.bench.join("bench.log")
    }
}

/// The repository.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Its root (where `book.toml` is).
    pub root: PathBuf,
}

impl Workspace {
    /// The repository this binary was built from, or the one the current directory is in.
    pub fn locate() -> Result<Workspace> {
        let mut candidates = vec![std::env::current_dir()?];
        candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
        for start in candidates {
            let mut dir: Option<&Path> = Some(&start);
            while let Some(d) = dir {
                if d.join("book.toml").is_file() && d.join("chapters").is_dir() {
                    return Ok(Workspace {
                        root: d.canonicalize()?,
                    });
                }
                dir = d.parent();
            }
        }
        bail!(
            "cannot find the book's repository (a directory with book.toml and chapters/): run from inside it"
        )
    }

    /// A workspace rooted at `root` (tests use copies).
    pub fn at(root: &Path) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
        }
    }

    /// Every chapter crate, in order.
    pub fn chapters(&self) -> Result<Vec<Chapter>> {
        let dir = self.root.join("chapters");
        let mut out = Vec::new();
        for e in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let e = e?;
            let name = e.file_name().to_string_lossy().to_string();
            if !e.path().is_dir() {
                continue;
            }
            let Some((pkg, _slug)) = name.split_once('-') else {
                continue;
            };
            if pkg.len() != 4
                || !pkg.starts_with("ch")
                || !pkg[2..].chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            out.push(Chapter {
                package: pkg.to_string(),
                dir_name: name.clone(),
                dir: e.path(),
            });
        }
        out.sort_by(|a, b| a.package.cmp(&b.package));
        Ok(out)
    }

    /// The chapters named in `wanted` (all of them when it is empty).
    pub fn select(&self, wanted: &[String]) -> Result<Vec<Chapter>> {
        let all = self.chapters()?;
        if wanted.is_empty() {
            return Ok(all);
        }
        wanted
            .iter()
            .map(|w| {
                all.iter()
                    .find(|c| &c.package == w)
                    .cloned()
                    .with_context(|| {
                        let names: Vec<&str> = all.iter().map(|c| c.package.as_str()).collect();
                        format!(
                            "there is no chapter `{w}`; the chapters are {}",
                            names.join(", ")
                        )
                    })
            })
            .collect()
    }

    /// Committed reference results: what the published book shows.
    pub fn reference_results(&self) -> PathBuf {
        self.root.join("results/reference")
    }

    /// Results of runs on this machine (not committed).
    pub fn local_results(&self) -> PathBuf {
        self.root.join("results/local")
    }

    /// The committed generated files, rendered from the reference results.
    pub fn committed_generated(&self) -> PathBuf {
        self.root.join("src/generated")
    }

    /// Generated files for a local build, rendered from local results where there are any.
    pub fn local_generated(&self) -> PathBuf {
        self.target_dir().join("book-generated")
    }

    /// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` at the root.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(d) => self.root.join(d),
            None => self.root.join("target"),
        }
    }

    /// Where one chapter's raw benchmark output goes, per bench target.
    pub fn dirs(&self, ch: &Chapter) -> ChapterDirs {
        let target = self.target_dir();
        ChapterDirs {
            bench: target.join("book-bench").join(&ch.package),
            gungraun: target.join("gungraun").join(&ch.package),
        }
    }

    /// A path relative to the root, for messages and provenance lines.
    pub fn rel(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .display()
            .to_string()
    }
}
