//! Build: the HTML book, with mdBook as a library.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;

use crate::workspace::Workspace;

/// Rewrites `{{#include generated/...}}` (with any number of leading `../`) to include from
/// `generated` instead, so a local build shows local numbers without touching `src/`.
pub fn redirect_includes(content: &str, generated: &Path) -> String {
    let marker = "{{#include ";
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(i) = rest.find(marker) {
        let (before, after) = rest.split_at(i + marker.len());
        out.push_str(before);
        let mut path = after;
        while let Some(p) = path.strip_prefix("../") {
            path = p;
        }
        if let Some(tail) = path.strip_prefix("generated/") {
            out.push_str(&format!("{}/", generated.display()));
            rest = tail;
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The files a page includes (`{{#include path}}` or `{{#include path:anchor}}`), as written.
pub fn included_paths(content: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = content;
    while let Some(i) = rest.find("{{#include ") {
        rest = &rest[i + "{{#include ".len()..];
        let Some(end) = rest.find("}}") else { break };
        let target = rest[..end].trim();
        let path = match target.rsplit_once(':') {
            Some((p, anchor)) if !anchor.contains('/') => p,
            _ => target,
        };
        out.push(path.to_string());
        rest = &rest[end..];
    }
    out
}

/// Builds the book into `book/`, taking generated files from `generated`. A page that includes
/// a file that does not exist stops the build (mdBook itself would only log it).
pub fn build(ws: &Workspace, generated: &Path) -> Result<()> {
    let mut md = MDBook::load(&ws.root)
        .map_err(|e| anyhow!("cannot load the book from {}: {e:#}", ws.root.display()))?;
    let src = ws.root.join("src");
    let mut missing = Vec::new();
    md.book.for_each_mut(|item| {
        if let BookItem::Chapter(ch) = item {
            if generated != ws.committed_generated() {
                ch.content = redirect_includes(&ch.content, generated);
            }
            let page = ch.source_path.clone().unwrap_or_default();
            let dir = src
                .join(&page)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| src.clone());
            for p in included_paths(&ch.content) {
                if !dir.join(&p).is_file() {
                    missing.push(format!("src/{} includes `{p}`", page.display()));
                }
            }
        }
    });
    if !missing.is_empty() {
        bail!(
            "pages include files that do not exist: {}. Fix the path in the page, add the anchor's file, or declare the figure, table or claim in the chapter's figures.toml",
            missing.join("; ")
        );
    }
    md.build()
        .map_err(|e| anyhow!("mdBook failed to build the book: {e:#}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_paths_drop_anchors() {
        let src = "x {{#include ../a/b.rs:kernel}} y {{#include generated/c.md}}";
        assert_eq!(included_paths(src), ["../a/b.rs", "generated/c.md"]);
    }

    #[test]
    fn includes_of_generated_files_are_redirected_and_others_kept() {
        let src = "a {{#include generated/ch01/x.md}} b {{#include ../generated/y.md}} c {{#include ../chapters/ch01-methodology/src/lib.rs:k}}";
        let out = redirect_includes(src, Path::new("/t/g"));
        assert_eq!(
            out,
            "a {{#include /t/g/ch01/x.md}} b {{#include /t/g/y.md}} c {{#include ../chapters/ch01-methodology/src/lib.rs:k}}"
        );
    }
}
