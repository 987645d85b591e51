//! Build: the HTML book, with mdBook as a library.

use std::path::Path;

use anyhow::{Result, anyhow};
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

/// Builds the book into `book/`, taking generated files from `generated`.
pub fn build(ws: &Workspace, generated: &Path) -> Result<()> {
    let mut md = MDBook::load(&ws.root).map_err(|e| anyhow!("cannot load the book from {}: {e:#}", ws.root.display()))?;
    if generated != ws.committed_generated() {
        md.book.for_each_mut(|item| {
            if let BookItem::Chapter(ch) = item {
                ch.content = redirect_includes(&ch.content, generated);
            }
        });
    }
    md.build().map_err(|e| anyhow!("mdBook failed to build the book: {e:#}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
