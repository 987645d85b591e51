// Lab 3, profiling: find the hot spot before you fix it.
//
// `top_words` counts the words of a text and returns the most frequent ones. It is
// slow, and not where a first guess might put it. Profile it (chapter 3: callgrind with
// `callgrind_annotate`, or a flame graph), find the function that dominates, and fix
// that.

/// The `k` most frequent words of `text`, with their counts, most frequent first and
/// words of equal count in alphabetical order. Words are separated by whitespace and
/// compared after ASCII lowercasing (`Stone` and `stone` are one word, returned as
/// `stone`).
pub fn top_words(text: &str, k: usize) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for word in text.split_whitespace() {
        let word = word.to_ascii_lowercase();
        match counts.iter_mut().find(|(w, _)| *w == word) {
            Some((_, count)) => *count += 1,
            None => counts.push((word, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(k);
    counts
}
