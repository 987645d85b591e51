//! Folded stacks, the text format between a profiler and a flame graph: one line per distinct
//! stack, its frames from the root to the leaf separated by `;`, a space and the number of
//! samples that saw exactly that stack.
//!
//! ```text
//! ch03::workload::run;ch03::workload::parse;core::str::<impl str>::parse 41
//! ch03::workload::run;ch03::workload::sort 3
//! ```
//!
//! Brendan Gregg's `stackcollapse` scripts write it from `perf script`, DTrace and many other
//! profilers, and `flamegraph.pl` and `inferno` draw it. Frame names may hold spaces
//! (`<T as Trait>::f`), so the count is what follows the *last* space.

use std::collections::BTreeMap;
use std::fmt;

/// A profile as folded stacks: each distinct stack, root first, with its sample count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folded {
    stacks: BTreeMap<String, u64>,
}

/// Why a text is not folded stacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoldedError {
    /// The line (from 1) that is wrong.
    pub line: usize,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for FoldedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} is not a folded stack: {}",
            self.line, self.reason
        )
    }
}

impl std::error::Error for FoldedError {}

/// A frame's name as it goes into a folded line: the legacy Rust symbol hash (`::h` and 16 hex
/// digits) removed, and the two characters the format reserves replaced: `;` separates frames
/// and a line break ends the stack.
pub fn frame_name(raw: &str) -> String {
    let name = match raw.rfind("::h") {
        Some(i) if raw.len() - i == 19 && raw[i + 3..].bytes().all(|b| b.is_ascii_hexdigit()) => {
            &raw[..i]
        }
        _ => raw,
    };
    name.replace(';', ":").replace(['\n', '\r'], " ")
}

impl Folded {
    /// An empty profile.
    pub fn new() -> Folded {
        Folded::default()
    }

    // ANCHOR: add
    /// Adds `count` samples of the stack `frames`, given root first. An empty stack or a zero
    /// count adds nothing.
    pub fn add<S: AsRef<str>>(&mut self, frames: &[S], count: u64) {
        if frames.is_empty() || count == 0 {
            return;
        }
        let key = frames
            .iter()
            .map(|f| {
                let n = frame_name(f.as_ref());
                if n.trim().is_empty() {
                    "[unknown]".to_string()
                } else {
                    n
                }
            })
            .collect::<Vec<_>>()
            .join(";");
        *self.stacks.entry(key).or_insert(0) += count;
    }

    /// The folded text: one `frame;frame;frame count` line per distinct stack, sorted, so that
    /// the same profile always gives the same bytes.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (stack, count) in &self.stacks {
            out.push_str(stack);
            out.push(' ');
            out.push_str(&count.to_string());
            out.push('\n');
        }
        out
    }
    // ANCHOR_END: add

    /// Reads folded text back, checking every line.
    ///
    /// # Errors
    /// On a line without a count after its last space, with a count of zero or one that is not
    /// a number, or with an empty frame.
    pub fn parse(text: &str) -> Result<Folded, FoldedError> {
        let mut f = Folded::new();
        for (i, line) in text.lines().enumerate() {
            let err = |reason| FoldedError {
                line: i + 1,
                reason,
            };
            let (stack, count) = line
                .rsplit_once(' ')
                .ok_or_else(|| err("no space before a count"))?;
            let count: u64 = count
                .parse()
                .map_err(|_| err("the count is not a whole number"))?;
            if count == 0 {
                return Err(err("the count is zero"));
            }
            if stack.split(';').any(|fr| fr.trim().is_empty()) {
                return Err(err("a frame is empty"));
            }
            *f.stacks.entry(stack.to_string()).or_insert(0) += count;
        }
        Ok(f)
    }

    /// The number of samples.
    pub fn total(&self) -> u64 {
        self.stacks.values().sum()
    }

    /// The number of distinct stacks.
    pub fn len(&self) -> usize {
        self.stacks.len()
    }

    /// Whether the profile holds no sample.
    pub fn is_empty(&self) -> bool {
        self.stacks.is_empty()
    }

    /// The samples whose stack passes through a frame named `frame` (inclusive samples).
    pub fn inclusive(&self, frame: &str) -> u64 {
        self.stacks
            .iter()
            .filter(|(s, _)| s.split(';').any(|f| f == frame))
            .map(|(_, c)| c)
            .sum()
    }

    /// The samples whose leaf frame is `frame` (self samples).
    pub fn exclusive(&self, frame: &str) -> u64 {
        self.stacks
            .iter()
            .filter(|(s, _)| s.rsplit(';').next() == Some(frame))
            .map(|(_, c)| c)
            .sum()
    }
}
