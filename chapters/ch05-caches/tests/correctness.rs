//! Chapter 05's code against simple models: the walks land where following the successors by
//! hand lands (the random cycle itself is tested in the `inputs` crate), the sequential read sums what
//! a plain loop sums, and every transpose equals the definition.

use ch05::cases::{
    SIM_TRANSPOSE_SIDES, SIM_WORKING_SETS_KIB, TRANSPOSE_SIDES, WORKING_SETS_KIB, kib_case,
    lines_in, side_case,
};
use ch05::chase::{Ring, cyclic_permutation, filled_lines, read_lines, sum_lines, sum_strided};
use ch05::pages::{ALL_PAGES, LINE, Line, LineBuf, Pages, thp_policy};
use ch05::transpose::{Transpose, blocked, naive, recursive, square};
use proptest::prelude::*;

fn model_transpose(rows: usize, cols: usize, src: &[u32]) -> Vec<u32> {
    let mut out = vec![0; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = src[r * cols + c];
        }
    }
    out
}

proptest! {
    #[test]
    fn a_walk_follows_the_successors(n in 1usize..600, seed in any::<u64>(), from_frac in 0.0f64..1.0, steps in 0u64..2000) {
        let next = cyclic_permutation(n, seed);
        let from = ((n as f64 * from_frac) as usize).min(n - 1);
        let mut model = from;
        for _ in 0..steps {
            model = next[model] as usize;
        }
        for pages in ALL_PAGES {
            let ring = Ring::new(&next, pages);
            prop_assert_eq!(ring.walk(from, steps), model);
        }
    }

    #[test]
    fn every_transpose_equals_the_definition(rows in 1usize..150, cols in 1usize..150, seed in any::<u32>()) {
        let src: Vec<u32> = (0..(rows * cols) as u32).map(|x| x.wrapping_mul(2_654_435_761).wrapping_add(seed)).collect();
        let model = model_transpose(rows, cols, &src);
        for t in Transpose::ALL {
            let mut dst = vec![u32::MAX; rows * cols];
            t.run(rows, cols, &src, &mut dst);
            prop_assert_eq!(&dst, &model, "{} at {} x {}", t.name(), rows, cols);
        }
    }

    #[test]
    fn reading_sums_what_a_plain_loop_sums(len in 1usize..300, lines in 0u64..2000) {
        let buf = filled_lines(len, Pages::Base);
        let model: u64 = (0..lines).map(|k| 8 * (k % len as u64)).sum();
        prop_assert_eq!(read_lines(&buf, lines), model);
    }
}

#[test]
fn a_walk_of_the_whole_ring_comes_back_and_sees_every_line() {
    let n = lines_in(256);
    let next = cyclic_permutation(n, 7);
    let ring = Ring::new(&next, Pages::Huge);
    assert_eq!(ring.bytes(), 256 * 1024);
    let mut seen = vec![false; n];
    let mut at = 0;
    for _ in 0..n {
        assert!(!seen[at], "line {at} visited twice");
        seen[at] = true;
        at = ring.walk(at, 1);
    }
    assert_eq!(at, 0);
    assert!(seen.iter().all(|&s| s));
}

#[test]
fn transposes_of_the_benchmarked_squares_are_right() {
    for &n in TRANSPOSE_SIDES.iter().filter(|&&n| n <= 1000) {
        let (src, _) = square(n);
        let model = model_transpose(n, n, &src);
        for f in [naive, blocked, recursive] {
            let mut dst = vec![0; n * n];
            f(n, n, &src, &mut dst);
            assert_eq!(dst, model, "side {n}");
        }
    }
}

#[test]
#[should_panic(expected = "needs 12 elements")]
fn a_transpose_refuses_matrices_of_the_wrong_size() {
    let mut dst = vec![0; 11];
    naive(3, 4, &[0; 12], &mut dst);
}

#[test]
fn sum_lines_adds_every_word() {
    let lines = [
        Line { words: [1; 8] },
        Line {
            words: [0, 1, 2, 3, 4, 5, 6, 7],
        },
    ];
    assert_eq!(sum_lines(&lines), 8 + 28);
    assert_eq!(sum_lines(&[]), 0);
}

#[test]
fn buffers_are_aligned_zeroed_and_report_their_pages() {
    for pages in ALL_PAGES {
        let mut buf = LineBuf::new(lines_in(4096), pages);
        assert_eq!(
            buf.as_ptr() as usize % (2 << 20),
            0,
            "aligned to a huge page"
        );
        assert!(buf.iter().all(|l| *l == Line::default()));
        for l in buf.iter_mut() {
            l.words[3] = 1;
        }
        let share = buf.huge_share().expect("Linux reports smaps");
        assert!((0.0..=100.0).contains(&share));
        if pages == Pages::Base {
            assert_eq!(share, 0.0, "MADV_NOHUGEPAGE gives no huge pages");
        }
        if pages == Pages::Huge && thp_policy().as_deref() == Some("always") {
            assert!(share > 0.0);
        }
    }
    assert_eq!(std::mem::size_of::<Line>(), LINE);
    assert_eq!(std::mem::align_of::<Line>(), LINE);
}

#[test]
#[should_panic(expected = "does not fit the address space")]
fn a_buffer_whose_mapping_would_wrap_is_refused() {
    // The lines alone fit a `usize`, but with the extra huge page the mapping's length would
    // wrap to a few bytes that `mmap` accepts, and the slice of lines would cover memory it does
    // not own.
    let _ = LineBuf::new(usize::MAX / LINE, Pages::Base);
}

#[test]
#[should_panic(expected = "does not fit the address space")]
fn a_buffer_larger_than_an_allocation_may_be_is_refused() {
    // Fits a `usize` with its extra huge page, but a slice may not exceed `isize::MAX` bytes.
    let _ = LineBuf::new(isize::MAX as usize / LINE, Pages::Base);
}

#[test]
#[should_panic(expected = "buffer size overflows")]
fn a_buffer_whose_lines_overflow_is_refused() {
    let _ = LineBuf::new(usize::MAX / 2, Pages::Huge);
}

#[test]
fn case_lists_are_well_formed() {
    assert!(WORKING_SETS_KIB.windows(2).all(|w| w[1] == 2 * w[0]));
    assert_eq!(WORKING_SETS_KIB[0], 4);
    assert!(
        *WORKING_SETS_KIB.last().unwrap() >= 1 << 20,
        "at least 1 GiB"
    );
    assert_eq!(kib_case(1 << 20), "kib1048576");
    assert_eq!(lines_in(4), 64);
    assert_eq!(side_case(4000), "n4000");
    assert!(TRANSPOSE_SIDES.windows(2).all(|w| w[0] < w[1]));
    assert!(
        SIM_TRANSPOSE_SIDES
            .iter()
            .all(|n| TRANSPOSE_SIDES.contains(n))
    );
    assert!(SIM_WORKING_SETS_KIB.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn the_tlb_orders_touch_what_they_say_and_their_rings_are_one_cycle() {
    use ch05::chase::{LINES_PER_PAGE, one_line_per_page, page_by_page};
    // One line in each page, every page once.
    let sparse = one_line_per_page(300, 7);
    let mut pages: Vec<usize> = sparse
        .iter()
        .map(|&l| l as usize / LINES_PER_PAGE)
        .collect();
    pages.sort_unstable();
    assert_eq!(pages, (0..300).collect::<Vec<_>>());
    // The offsets inside the pages are not all the same (the lines spread over cache sets).
    let offsets: std::collections::BTreeSet<u32> =
        sparse.iter().map(|l| l % LINES_PER_PAGE as u32).collect();
    assert!(offsets.len() > 32, "{} distinct offsets", offsets.len());
    // Every line of every page, 64 at a time from one page.
    let grouped = page_by_page(20, 9);
    assert_eq!(grouped.len(), 20 * LINES_PER_PAGE);
    for chunk in grouped.chunks(LINES_PER_PAGE) {
        let page = chunk[0] as usize / LINES_PER_PAGE;
        assert!(chunk.iter().all(|&l| l as usize / LINES_PER_PAGE == page));
    }
    let mut all = grouped.clone();
    all.sort_unstable();
    assert_eq!(all, (0..20 * LINES_PER_PAGE as u32).collect::<Vec<_>>());
    // The ring visits the order's lines in the order's sequence and comes back; a walk that
    // starts on a line outside the order enters the cycle at its first line.
    let len = 300 * LINES_PER_PAGE;
    let ring = Ring::with_order(len, &sparse, Pages::Base);
    let start = sparse[0] as usize;
    for (k, &l) in sparse.iter().enumerate() {
        assert_eq!(ring.walk(start, k as u64), l as usize);
    }
    assert_eq!(ring.walk(start, sparse.len() as u64), start);
    let outside = (0..len as u32).find(|l| !sparse.contains(l)).unwrap();
    assert_eq!(ring.walk(outside as usize, 1), start);
}

#[test]
#[should_panic(expected = "named twice")]
fn a_ring_order_that_names_a_line_twice_is_refused() {
    let _ = Ring::with_order(8, &[1, 2, 1], Pages::Base);
}

#[test]
#[should_panic(expected = "outside")]
fn a_ring_order_that_names_a_line_outside_is_refused() {
    let _ = Ring::with_order(8, &[1, 8], Pages::Base);
}

#[test]
#[should_panic(expected = "too many pages")]
fn a_page_count_whose_lines_overflow_is_refused() {
    let _ = ch05::chase::one_line_per_page(usize::MAX / 2, 1);
}

#[test]
fn a_strided_read_adds_the_words_it_names_and_wraps_round() {
    // 4 lines of 8 words; word `w` of line `l` holds `l`, so the sum says which lines were read.
    let lines: Vec<Line> = (0..4u64).map(|l| Line { words: [l; 8] }).collect();
    let bytes = 4 * LINE;
    // One word per line from the start: lines 0, 1, 2, 3, then round to 0 and 1.
    assert_eq!(sum_strided(&lines, LINE, 0, 6), (1 + 2 + 3 + 1, 2 * LINE));
    // Every word: eight of line 0, then the first two of line 1.
    assert_eq!(sum_strided(&lines, 8, 0, 10), (2, 80));
    // From the last word, a stride of the whole buffer reads that word every time.
    assert_eq!(sum_strided(&lines, bytes, bytes - 8, 3), (9, bytes - 8));
    // No words, no sum, and the position stays.
    assert_eq!(sum_strided(&lines, 64, 128, 0), (0, 128));
}

proptest! {
    #[test]
    fn a_strided_read_matches_a_model(step in 1usize..300, from in 0usize..2000, count in 0u64..500) {
        let lines: Vec<Line> = (0..25u64).map(|l| Line { words: std::array::from_fn(|w| l * 8 + w as u64) }).collect();
        let all: Vec<u64> = lines.iter().flat_map(|l| l.words).collect();
        let step = (step % all.len()).max(1) * 8;
        let from = from % all.len() * 8;
        let (mut at, mut sum) = (from / 8, 0u64);
        for _ in 0..count {
            sum = sum.wrapping_add(all[at]);
            at = (at + step / 8) % all.len();
        }
        prop_assert_eq!(sum_strided(&lines, step, from, count), (sum, at * 8));
    }
}

#[test]
#[should_panic(expected = "stride")]
fn a_strided_read_refuses_a_stride_of_zero() {
    sum_strided(&[Line::default(); 2], 0, 0, 1);
}

#[test]
#[should_panic(expected = "stride")]
fn a_strided_read_refuses_a_stride_beyond_the_buffer() {
    sum_strided(&[Line::default(); 2], usize::MAX - 7, 0, 1);
}

#[test]
#[should_panic(expected = "starts no word")]
fn a_strided_read_refuses_a_start_outside_the_buffer() {
    sum_strided(&[Line::default(); 2], 8, usize::MAX - 7, 1);
}
