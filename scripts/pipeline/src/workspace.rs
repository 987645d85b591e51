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

    /// Where one chapter's raw benchmark output goes: criterion's (the pipeline sets
    /// `CRITERION_HOME` there) and gungraun's (which writes below the target directory).
    pub fn bench_output(&self, ch: &Chapter) -> (PathBuf, PathBuf) {
        let target = self.target_dir();
        (
            target
                .join("book-bench")
                .join(&ch.package)
                .join("criterion"),
            target.join("gungraun").join(&ch.package),
        )
    }

    /// Where one chapter's custom measurements go (the pipeline sets `BOOK_CUSTOM_DIR` there).
    pub fn custom_output(&self, ch: &Chapter) -> PathBuf {
        self.target_dir()
            .join("book-bench")
            .join(&ch.package)
            .join("custom")
    }

    /// Where one chapter's text artifacts go (the pipeline sets `BOOK_ARTIFACT_DIR` there).
    pub fn artifact_output(&self, ch: &Chapter) -> PathBuf {
        self.target_dir()
            .join("book-bench")
            .join(&ch.package)
            .join("artifacts")
    }

    /// A path relative to the root, for messages and provenance lines.
    pub fn rel(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .display()
            .to_string()
    }
}
