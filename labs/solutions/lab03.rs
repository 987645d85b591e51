// Lab 3, reference solution: a hash map finds a word in constant time where the list searched
// every word it had seen, and a word already in lowercase is looked up without a new string.

use std::collections::HashMap;

/// The `k` most frequent words of `text` (see the starting code).
pub fn top_words(text: &str, k: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in text.split_whitespace() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            *counts.entry(word.to_ascii_lowercase()).or_default() += 1;
        } else if let Some(count) = counts.get_mut(word) {
            *count += 1;
        } else {
            counts.insert(word.to_string(), 1);
        }
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(k);
    counts
}
