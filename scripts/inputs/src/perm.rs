//! Random permutations: any order ([`shuffle`]) and one single cycle ([`sattolo`]).

use crate::Rng;

// ANCHOR: shuffle
/// Puts `items` in a random order, every one of the `n!` orders equally likely (the
/// Fisher–Yates shuffle): from the last slot down, slot `i` swaps with a slot chosen from
/// `0..=i`, itself included.
pub fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}
// ANCHOR_END: shuffle

// ANCHOR: sattolo
/// Sattolo's algorithm: the Fisher–Yates [`shuffle`] with one change, slot `i` swaps with a
/// slot strictly below it, never with itself. The permutation that moves the items is then one
/// single cycle through all `n` slots (every one of the `(n - 1)!` cycles equally likely)
/// rather than any permutation.
pub fn sattolo<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64) as usize;
        items.swap(i, j);
    }
}

/// A random cyclic permutation of `0..n` from `seed`: `next[i]` is the successor of `i`, and
/// following successors from any slot visits all `n` slots before it returns. It is
/// [`sattolo`] applied to `0, 1, ..., n - 1`.
///
/// # Panics
/// When `n` is zero or does not fit the `u32` indices.
pub fn cyclic_permutation(n: usize, seed: u64) -> Vec<u32> {
    assert!(
        n > 0 && u32::try_from(n).is_ok(),
        "{n} slots do not fit the u32 indices of a cycle"
    );
    let mut next: Vec<u32> = (0..n as u32).collect();
    sattolo(&mut next, &mut Rng::new(seed));
    next
}
// ANCHOR_END: sattolo

/// Whether following `next` from slot 0 visits every slot exactly once before it returns to 0.
pub fn is_single_cycle(next: &[u32]) -> bool {
    let mut seen = vec![false; next.len()];
    let mut i = 0usize;
    for _ in 0..next.len() {
        if i >= next.len() || seen[i] {
            return false;
        }
        seen[i] = true;
        i = next[i] as usize;
    }
    i == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    // Explicitly, over the prelude's `Rng` trait.
    use crate::Rng;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        #[test]
        fn sattolo_gives_one_cycle_through_every_slot(n in 1usize..3000, seed in any::<u64>()) {
            let next = cyclic_permutation(n, seed);
            prop_assert!(is_single_cycle(&next));
            let mut sorted = next.clone();
            sorted.sort_unstable();
            prop_assert!(sorted.iter().enumerate().all(|(i, &x)| x as usize == i));
        }

        #[test]
        fn sattolo_moves_every_item(n in 2usize..500, seed in any::<u64>()) {
            let mut items: Vec<usize> = (0..n).collect();
            sattolo(&mut items, &mut Rng::new(seed));
            prop_assert!(items.iter().enumerate().all(|(i, &x)| x != i));
        }

        #[test]
        fn shuffle_keeps_every_item(n in 0usize..2000, seed in any::<u64>()) {
            let mut items: Vec<u32> = (0..n as u32).collect();
            shuffle(&mut items, &mut Rng::new(seed));
            items.sort_unstable();
            prop_assert!(items.iter().enumerate().all(|(i, &x)| x as usize == i));
        }
    }

    #[test]
    fn shuffle_reaches_every_order_and_sattolo_only_the_cycles() {
        let (mut any, mut cycles) = (BTreeSet::new(), BTreeSet::new());
        let mut rng = Rng::new(17);
        for _ in 0..600 {
            let mut a = [0u32, 1, 2];
            shuffle(&mut a, &mut rng);
            any.insert(a);
            let mut c = [0u32, 1, 2];
            sattolo(&mut c, &mut rng);
            assert!(is_single_cycle(&c), "{c:?}");
            cycles.insert(c);
        }
        assert_eq!(any.len(), 6, "all 3! orders");
        assert_eq!(cycles, BTreeSet::from([[1, 2, 0], [2, 0, 1]]));
    }

    #[test]
    fn single_cycles_are_told_from_other_permutations() {
        assert!(is_single_cycle(&[0]));
        assert!(is_single_cycle(&[1, 2, 0]));
        assert!(!is_single_cycle(&[1, 0, 2]), "two cycles");
        assert!(!is_single_cycle(&[0, 1]), "fixed points");
        assert!(!is_single_cycle(&[1, 1]), "not a permutation");
        assert!(!is_single_cycle(&[5, 0]), "a successor outside");
        assert!(is_single_cycle(&[]), "the empty permutation");
    }

    #[test]
    fn the_same_seed_gives_the_same_cycle() {
        assert_eq!(cyclic_permutation(100, 4), cyclic_permutation(100, 4));
        assert_ne!(cyclic_permutation(100, 4), cyclic_permutation(100, 5));
        assert_eq!(cyclic_permutation(1, 9), [0]);
    }

    #[test]
    #[should_panic(expected = "do not fit")]
    fn a_cycle_of_no_slots_is_refused() {
        let _ = cyclic_permutation(0, 1);
    }
}
