//! Build: the HTML book, with mdBook as a library and the book's own preprocessor.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem};
use mdbook_driver::config::Config;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

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

/// The files a page includes, as written, each with the anchor it names, if any
/// (`{{#include path}}`, `{{#include path:anchor}}`; a line range `path:10:20` names none).
pub fn includes(content: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = content;
    while let Some(i) = rest.find("{{#include ") {
        rest = &rest[i + "{{#include ".len()..];
        let Some(end) = rest.find("}}") else { break };
        let target = rest[..end].trim();
        let (path, anchor) = match target.split_once(':') {
            Some((p, a)) if !a.contains('/') => {
                let a = a.split(':').next().unwrap_or(a);
                let range = a.is_empty() || a.chars().all(|c| c.is_ascii_digit());
                (p, (!range).then(|| a.to_string()))
            }
            _ => (target, None),
        };
        out.push((path.to_string(), anchor));
        rest = &rest[end..];
    }
    out
}

/// The files a page includes, as written, without anchors.
pub fn included_paths(content: &str) -> Vec<String> {
    includes(content).into_iter().map(|(p, _)| p).collect()
}

/// Whether `text` marks an mdBook anchor `name` (`ANCHOR: name` ... `ANCHOR_END: name`).
fn has_anchor(text: &str, name: &str) -> bool {
    // As mdBook reads them: the name is the word after the keyword, whatever comment syntax
    // surrounds it (`// ANCHOR: x`, `/* ANCHOR: x */`, `# ANCHOR: x`).
    let marks = |kw: &str| {
        text.lines().any(|l| {
            l.split_once(kw).is_some_and(|(_, rest)| {
                rest.trim_start()
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                    .next()
                    == Some(name)
            })
        })
    };
    marks("ANCHOR:") && marks("ANCHOR_END:")
}

/// The book's own preprocessor, registered with mdBook to run before its `links` preprocessor:
/// for a local build it points every `{{#include generated/...}}` at the local render
/// directory (so a page shows this machine's numbers while `src/` keeps the reference ones),
/// and for every build it refuses an include of a file that does not exist or of an anchor
/// the file does not mark (mdBook itself would log the first and silently include nothing
/// for the second), and a claim badge that no page, or more than one page, shows.
pub struct GeneratedIncludes {
    /// Where the generated files come from.
    pub generated: PathBuf,
    /// Whether includes of `generated/` are redirected there.
    pub redirect: bool,
    /// The book's `src/`.
    pub src: PathBuf,
    /// Directives a page may use and what each expands to (the labs' table and targets, from
    /// `labs/labs.toml`); a page that uses one not listed stops the build.
    pub directives: Vec<(String, String)>,
    /// The edition the build shows, and the chapter pages (paths below `src/`) that end with
    /// its "Cite this chapter" line.
    pub cite: Option<(crate::edition::Edition, Vec<PathBuf>)>,
}

/// The prefixes of the directives [`GeneratedIncludes`] expands itself.
const DIRECTIVES: [&str; 5] = [
    "{{#lab",
    "{{#machines",
    "{{#card",
    "{{#this-machine",
    "{{#edition",
];

impl GeneratedIncludes {
    /// The name mdBook knows it by (`[preprocessor.measured]`).
    pub const NAME: &'static str = "measured";
}

impl Preprocessor for GeneratedIncludes {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run(
        &self,
        _ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_driver::errors::Result<Book> {
        let mut problems = Vec::new();
        let mut badges: BTreeMap<String, Vec<String>> = BTreeMap::new();
        book.for_each_mut(|item| {
            let BookItem::Chapter(ch) = item else { return };
            if self.redirect {
                ch.content = redirect_includes(&ch.content, &self.generated);
            }
            let page = ch.source_path.clone().unwrap_or_default();
            for (directive, text) in &self.directives {
                ch.content = ch.content.replace(directive.as_str(), text);
            }
            if let Some((edition, pages)) = &self.cite
                && pages.contains(&page)
            {
                let line = edition.cite_chapter(&ch.name, &page.display().to_string());
                ch.content = format!("{}\n\n{line}\n", ch.content.trim_end());
            }
            if let Some(i) = DIRECTIVES.iter().filter_map(|d| ch.content.find(d)).min() {
                let bad: String = ch.content[i..].chars().take_while(|&c| c != '}').collect();
                problems.push(format!(
                    "src/{} uses `{bad}}}}}`, which is not a directive of this book (`{{{{#labs-table}}}}`, `{{{{#lab-target labNN}}}}` with a lab of labs/labs.toml, `{{{{#machines}}}}`, `{{{{#edition}}}}`, `{{{{#card <entry>}}}}` with an entry of the machine card, or `{{{{#this-machine}}}}` (both need the card, which `scripts/book.sh card` measures into results/local/card.json, or with --reference into results/reference/card.json))",
                    page.display()
                ));
            }
            let dir = self
                .src
                .join(&page)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| self.src.clone());
            for (p, anchor) in includes(&ch.content) {
                let file = dir.join(&p);
                if let Some(name) = file.file_name().and_then(|n| n.to_str())
                    && name.starts_with("claim-")
                    && file.starts_with(&self.generated)
                {
                    let key = file.strip_prefix(&self.generated).unwrap_or(&file).display().to_string();
                    badges.entry(key.clone()).or_default().push(format!("src/{}", page.display()));
                    // The sentence is the declaration's; a page that types it again beside
                    // the include would say it twice, and the copies would drift.
                    if let Ok(text) = std::fs::read_to_string(&file)
                        && let Some(sentence) = text.split(" <span class=\"claim").next()
                        && sentence.len() > 20
                        && ch.content.contains(sentence.trim())
                    {
                        problems.push(format!(
                            "src/{} types the sentence of claim badge `{key}` itself; the include renders it (from the chapter's figures.toml): remove the typed copy",
                            page.display()
                        ));
                    }
                }
                match std::fs::read_to_string(&file) {
                    Err(_) => problems.push(format!(
                        "src/{} includes `{p}`, which does not exist: fix the path, or declare the figure, table or claim in the chapter's figures.toml",
                        page.display()
                    )),
                    Ok(text) => {
                        if let Some(a) = anchor
                            && !has_anchor(&text, &a)
                        {
                            problems.push(format!(
                                "src/{} includes `{p}:{a}`, but {} marks no anchor `{a}` (`// ANCHOR: {a}` ... `// ANCHOR_END: {a}`): rename the include or put the anchor back",
                                page.display(),
                                file.display()
                            ));
                        }
                    }
                }
            }
        });
        for (badge, pages) in &badges {
            if pages.len() > 1 {
                problems.push(format!(
                    "claim badge `{badge}` is shown on {} ({} times): a claim is stated in one place only",
                    pages.join(", "),
                    pages.len()
                ));
            }
        }
        for claim in declared_badges(&self.generated) {
            if !badges.contains_key(&claim) {
                problems.push(format!(
                    "claim badge `{claim}` is declared but no page shows it: include it beside the sentence that makes the claim, or remove the claim from the chapter's figures.toml"
                ));
            }
        }
        if problems.is_empty() {
            Ok(book)
        } else {
            Err(mdbook_driver::errors::Error::msg(problems.join("\n")))
        }
    }
}

/// Every claim badge the pipeline rendered (`chNN/claim-<id>.md` below `generated`).
fn declared_badges(generated: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for rel in crate::fsutil::list_files(generated).unwrap_or_default() {
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("claim-") && name.ends_with(".md") {
            out.push(rel.display().to_string());
        }
    }
    out
}

/// Builds the book into `book/`, taking generated files from `generated`. A page that includes
/// a file or an anchor that does not exist stops the build, and so does a claim that no page
/// shows.
pub fn build(ws: &Workspace, generated: &Path) -> Result<()> {
    let mut config = Config::from_disk(ws.root.join("book.toml"))
        .map_err(|e| anyhow!("cannot read {}: {e:#}", ws.root.join("book.toml").display()))?;
    // Runs before mdBook's own `links`, which expands the includes.
    let table: toml::Value =
        toml::from_str("before = [\"links\"]\ncommand = \"true\"").expect("static TOML");
    config
        .set(format!("preprocessor.{}", GeneratedIncludes::NAME), table)
        .map_err(|e| anyhow!("cannot configure the book's preprocessor: {e:#}"))?;
    let edition = crate::edition::Edition::load(
        &ws.root,
        config.book.title.as_deref().unwrap_or("the book"),
        &config.book.authors,
    )?;
    crate::edition::check_changelog(&ws.root, &edition.version)?;
    if let Some(template) = edition.edit_url_template() {
        config
            .set("output.html.edit-url-template", template)
            .map_err(|e| anyhow!("cannot set the edit link: {e:#}"))?;
    }
    if let Some(repo) = &edition.repository {
        config
            .set("output.html.git-repository-url", repo.clone())
            .map_err(|e| anyhow!("cannot set the repository link: {e:#}"))?;
    }
    let mut md = MDBook::load_with_config(&ws.root, config)
        .map_err(|e| anyhow!("cannot load the book from {}: {e:#}", ws.root.display()))?;
    let mut directives = Vec::new();
    if ws.root.join("labs/labs.toml").is_file() {
        let labs = crate::labs::Labs::load(ws)?;
        directives.push(("{{#labs-table}}".to_string(), crate::labs::table(&labs)));
        for lab in &labs.lab {
            directives.push((
                format!("{{{{#lab-target {}}}}}", lab.id),
                crate::labs::target_line(lab),
            ));
        }
    }
    let chapters: Vec<(String, String)> = ws
        .chapters()?
        .into_iter()
        .map(|c| (c.package, c.dir_name))
        .collect();
    directives.push((
        "{{#machines}}".to_string(),
        crate::machines::page(&crate::machines::runs(ws)?, &chapters),
    ));
    // The machine card of the numbers the pages show: this machine's in a local build that
    // measured one, the reference machine's otherwise.
    let local_card = ws.local_results().join(crate::card::FILE);
    let card_path = if generated != ws.committed_generated() && local_card.is_file() {
        local_card
    } else {
        ws.reference_results().join(crate::card::FILE)
    };
    if card_path.is_file() {
        let card = crate::card::Card::load(&card_path)?;
        directives.push((
            "{{#this-machine}}".to_string(),
            crate::machines::this_machine(&card, &ws.rel(&card_path)),
        ));
        for e in &card.entries {
            directives.push((
                format!("{{{{#card {}}}}}", e.id),
                crate::card::quote(e, &card.machine),
            ));
        }
    }
    directives.push(("{{#edition}}".to_string(), edition.front()));
    let pages = chapters
        .iter()
        .map(|(_, dir)| PathBuf::from(format!("{dir}.md")))
        .collect();
    md.with_preprocessor(GeneratedIncludes {
        generated: generated.to_path_buf(),
        redirect: generated != ws.committed_generated(),
        src: ws.root.join("src"),
        directives,
        cite: Some((edition, pages)),
    });
    md.build()
        .map_err(|e| anyhow!("mdBook failed to build the book: {e:#}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_found_in_any_comment_syntax() {
        let rust = "// ANCHOR: kernel\nfn f() {}\n// ANCHOR_END: kernel\n";
        let c = "/* ANCHOR: c_sum */\nint f(void);\n/* ANCHOR_END: c_sum */\n";
        assert!(has_anchor(rust, "kernel"));
        assert!(has_anchor(c, "c_sum"));
        assert!(!has_anchor(c, "c"));
        assert!(!has_anchor("// ANCHOR: kernel\n", "kernel"), "no end");
    }

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
