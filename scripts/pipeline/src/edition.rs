//! The edition a build shows: the book's version, the commit of the source it was built from,
//! and, where it is known, the public repository that holds it.
//!
//! The version is `CITATION.cff`'s (the one place it is written); the commit and its date come
//! from git at build time, so they are never typed into a page. The repository's URL is
//! `BOOK_REPOSITORY_URL` when it is set (the GitHub workflow sets it), otherwise the checkout's
//! `origin` remote when that is a web address (`https://…`, or `git@host:owner/name`). With a
//! URL, every page gets mdBook's edit link and every chapter's citation a permanent link to
//! the page's source at that commit; without one (a copy cloned from a local path, a tarball)
//! the pages say which commit they were built from and leave the link out.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::format::{html, html_inline};
use crate::machine::git;

/// What a build knows about its own edition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edition {
    /// The book's title (`book.toml`).
    pub title: String,
    /// Its authors, as `book.toml` lists them.
    pub authors: Vec<String>,
    /// `CITATION.cff`'s `version`.
    pub version: String,
    /// The source commit (12 hex digits), if the tree is a git checkout.
    pub commit: Option<String>,
    /// That commit's date (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Whether tracked files differ from that commit.
    pub modified: bool,
    /// The repository's web address, without a trailing `/` or `.git`.
    pub repository: Option<String>,
    /// The branch edit links open (`BOOK_EDIT_BRANCH`, `main` by default).
    pub branch: String,
}

impl Edition {
    /// Reads the version from `root/CITATION.cff` and the rest from git and the environment.
    pub fn load(root: &Path, title: &str, authors: &[String]) -> Result<Edition> {
        let cff = root.join("CITATION.cff");
        let text = std::fs::read_to_string(&cff).with_context(|| {
            format!(
                "cannot read {}: the book's version lives there",
                cff.display()
            )
        })?;
        let version = citation_version(&text).with_context(|| {
            format!(
                "{} has no top-level `version:` line: add the book's version (the changelog's latest heading)",
                cff.display()
            )
        })?;
        let commit = git(root, &["rev-parse", "--short=12", "HEAD"]);
        let date = commit
            .as_ref()
            .and_then(|_| git(root, &["show", "-s", "--format=%cs", "HEAD"]));
        let modified = commit.is_some()
            && git(root, &["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
        let repository = match std::env::var("BOOK_REPOSITORY_URL") {
            Ok(u) if !u.trim().is_empty() => Some(web_address(u.trim()).with_context(|| {
                format!("BOOK_REPOSITORY_URL is `{u}`, which is not a web address: set it to the repository's https:// URL, or unset it")
            })?),
            _ => git(root, &["remote", "get-url", "origin"]).and_then(|u| web_address(&u)),
        };
        let branch = std::env::var("BOOK_EDIT_BRANCH")
            .ok()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| "main".to_string());
        Ok(Edition {
            title: title.to_string(),
            authors: authors.to_vec(),
            version,
            commit,
            date,
            modified,
            repository,
            branch,
        })
    }

    /// mdBook's `edit-url-template`, when the repository is known.
    pub fn edit_url_template(&self) -> Option<String> {
        self.repository
            .as_ref()
            .map(|r| format!("{r}/edit/{}/{{path}}", self.branch))
    }

    /// The commit, as a page states it.
    fn commit_text(&self) -> String {
        match (&self.commit, &self.date) {
            (Some(c), Some(d)) => format!(
                "commit <code>{}</code> of {}{}",
                html(c),
                html(d),
                if self.modified {
                    ", with local changes"
                } else {
                    ""
                }
            ),
            (Some(c), None) => format!("commit <code>{}</code>", html(c)),
            _ => "an unrecorded commit (the source is not a git checkout)".to_string(),
        }
    }

    /// The line on the front page: version, commit, repository.
    pub fn front(&self) -> String {
        let repo = match &self.repository {
            Some(r) => format!(", from <a href=\"{0}\">{0}</a>", html(r)),
            None => String::new(),
        };
        format!(
            "<p class=\"edition\">Version {} · built from {}{repo}.</p>",
            html(&self.version),
            self.commit_text()
        )
    }

    /// The citation at the end of a chapter page: authors, chapter, book, version, commit, and
    /// a permanent link to the page's source at that commit when the repository is known.
    pub fn cite_chapter(&self, chapter: &str, page: &str) -> String {
        let link = match (&self.repository, &self.commit) {
            (Some(r), Some(c)) if !self.modified => {
                let url = format!("{r}/blob/{c}/src/{page}");
                format!(", <a href=\"{0}\">{0}</a>", html(&url))
            }
            _ => String::new(),
        };
        format!(
            "<p class=\"cite-chapter\"><strong>Cite this chapter:</strong> {}, “{}”, in <em>{}</em>, version {}, {}{link}.</p>",
            html(&self.authors.join(", ")),
            html_inline(chapter),
            html(&self.title),
            html(&self.version),
            self.commit_text()
        )
    }
}

/// The top-level `version:` of a `CITATION.cff` (quotes removed).
pub fn citation_version(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("version:"))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|v| !v.is_empty())
}

/// A git remote as the web address of its repository: `https://host/owner/name(.git)` and
/// `git@host:owner/name(.git)` (and `ssh://git@host/owner/name`) give `https://host/owner/name`;
/// a local path or anything else gives `None`.
pub fn web_address(remote: &str) -> Option<String> {
    let r = remote.trim().trim_end_matches('/');
    let rest = if let Some(s) = r
        .strip_prefix("https://")
        .or_else(|| r.strip_prefix("http://"))
    {
        // Drop credentials a remote may carry (`https://user:token@host/...`).
        match s.split_once('/') {
            Some((host, path)) => format!("{}/{path}", host.rsplit('@').next().unwrap_or(host)),
            None => return None,
        }
    } else if let Some(s) = r.strip_prefix("ssh://") {
        let s = s.rsplit_once('@').map_or(s, |(_, h)| h);
        s.to_string()
    } else if let Some((user_host, path)) = r.split_once(':')
        && let Some((_, host)) = user_host.split_once('@')
        && !path.starts_with('/')
    {
        format!("{host}/{path}")
    } else {
        return None;
    };
    let rest = rest.strip_suffix(".git").unwrap_or(&rest);
    let (host, path) = rest.split_once('/')?;
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    if host.is_empty() || !host.contains('.') || parts.len() < 2 {
        return None;
    }
    Some(format!("https://{host}/{}", parts.join("/")))
}

/// Stops when the changelog has no heading for the version `CITATION.cff` states.
pub fn check_changelog(root: &Path, version: &str) -> Result<()> {
    let path = root.join("src/changelog.md");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if !text.lines().any(|l| l.trim() == format!("## {version}")) {
        bail!(
            "{} has no `## {version}` heading, but CITATION.cff gives version {version}: add the version's entry to the changelog, or correct CITATION.cff",
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition(repository: Option<&str>, modified: bool) -> Edition {
        Edition {
            title: "A Book".into(),
            authors: vec!["The Authors".into()],
            version: "1.2.0".into(),
            commit: Some("0123456789ab".into()),
            date: Some("2026-12-02".into()),
            modified,
            repository: repository.map(str::to_string),
            branch: "main".into(),
        }
    }

    #[test]
    fn remotes_become_web_addresses_and_local_paths_do_not() {
        let want = Some("https://github.com/owner/book".to_string());
        assert_eq!(web_address("https://github.com/owner/book.git"), want);
        assert_eq!(web_address("https://github.com/owner/book/"), want);
        assert_eq!(web_address("https://x:token@github.com/owner/book"), want);
        assert_eq!(web_address("git@github.com:owner/book.git"), want);
        assert_eq!(web_address("ssh://git@github.com/owner/book.git"), want);
        assert_eq!(
            web_address("https://gitlab.example.org/group/sub/book"),
            Some("https://gitlab.example.org/group/sub/book".to_string())
        );
        assert_eq!(web_address("/work/main"), None);
        assert_eq!(web_address("../main"), None);
        assert_eq!(web_address("file:///work/main"), None);
        assert_eq!(web_address("https://github.com/owner"), None);
        assert_eq!(web_address("C:\\repos\\book"), None);
    }

    #[test]
    fn the_version_is_citation_cffs_top_level_line() {
        let cff = "cff-version: 1.2.0\ntitle: x\nversion: \"0.3.1\"\npreferred-citation:\n  version: 9.9\n";
        assert_eq!(citation_version(cff), Some("0.3.1".to_string()));
        assert_eq!(citation_version("cff-version: 1.2.0\n  version: 1\n"), None);
    }

    #[test]
    fn a_chapter_citation_links_to_the_source_at_its_commit_only_when_both_are_known() {
        let e = edition(Some("https://github.com/o/b"), false);
        let line = e.cite_chapter("9. The compiler's assembly", "ch09-asm.md");
        assert!(line.contains("The Authors, “9. The compiler's assembly”, in <em>A Book</em>, version 1.2.0, commit <code>0123456789ab</code> of 2026-12-02"), "{line}");
        assert!(
            line.contains("https://github.com/o/b/blob/0123456789ab/src/ch09-asm.md"),
            "{line}"
        );
        assert_eq!(
            e.edit_url_template().as_deref(),
            Some("https://github.com/o/b/edit/main/{path}")
        );
        // Local changes: the commit's page is not what was built, so no permanent link.
        let m = edition(Some("https://github.com/o/b"), true).cite_chapter("1. X", "ch01-x.md");
        assert!(
            m.contains("with local changes") && !m.contains("href"),
            "{m}"
        );
        let none = edition(None, false);
        assert!(!none.cite_chapter("1. X", "ch01-x.md").contains("href"));
        assert_eq!(none.edit_url_template(), None);
        assert!(
            none.front()
                .contains("Version 1.2.0 · built from commit <code>0123456789ab</code>")
        );
    }

    #[test]
    fn the_changelog_must_name_the_version() {
        let dir = std::env::temp_dir().join(format!("edition-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/changelog.md"), "# Changelog\n\n## 0.1.0\n").unwrap();
        assert!(check_changelog(&dir, "0.1.0").is_ok());
        let err = check_changelog(&dir, "0.2.0").unwrap_err().to_string();
        assert!(
            err.contains("changelog.md") && err.contains("## 0.2.0"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
