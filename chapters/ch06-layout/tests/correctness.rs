//! Chapter 06's layouts against simple models: every kernel computes the same result whatever
//! the arrangement of its data, on random inputs and on the edge cases.

use ch06::gather::{
    Order, WORDS_PER_LINE, gather, gather_prefetch, line_indices, table, with_tail,
};
use ch06::hotcold::{AUDIT, Report, random_accounts, scan_inline, scan_split, split};
use ch06::padding::{
    Declared, Fields, Order as _, Packed, RustRepr, Sorted, lay_out, notional, random_fields,
};
use ch06::soa::{
    Aos, FIELDS, Record, gather_records_aos, gather_records_soa, random_indices, sum_fields_aos,
    sum_fields_soa,
};
use ch06::split::{Buffer, LINE, PAGE, splits_line, sum_at};
use proptest::prelude::*;

/// The model of a field scan: every field below `k` of every record, added one by one.
fn fields_model(records: &[Record], k: usize) -> u64 {
    let mut total = 0u64;
    for r in records {
        for c in 0..k {
            total += u64::from(r.f[c]);
        }
    }
    total
}

/// The model of the notional: a branch on `active`, with wrapping arithmetic.
fn notional_model(fields: &[Fields]) -> u64 {
    let mut total = 0u64;
    for f in fields {
        if f.active {
            total = total.wrapping_add(f.price.wrapping_mul(u64::from(f.qty)));
        }
    }
    total
}

proptest! {
    #[test]
    fn aos_and_soa_scans_agree_with_the_model(
        n in 0usize..200,
        seed in any::<u64>(),
        ki in 0usize..5,
    ) {
        let k = [1, 2, 4, 8, 16][ki];
        let aos = Aos::random(n, seed);
        let soa = aos.to_soa();
        let model = fields_model(&aos.records, k);
        prop_assert_eq!(sum_fields_aos(&aos, k), model);
        prop_assert_eq!(sum_fields_soa(&soa, k), model);
    }

    #[test]
    fn aos_and_soa_record_gathers_agree_with_the_model(
        n in 1usize..200,
        lookups in 0usize..300,
        seed in any::<u64>(),
    ) {
        let aos = Aos::random(n, seed);
        let soa = aos.to_soa();
        let idx = random_indices(lookups, n, seed ^ 1);
        let model: u64 = idx
            .iter()
            .map(|&i| fields_model(&aos.records[i as usize..i as usize + 1], FIELDS))
            .sum();
        prop_assert_eq!(gather_records_aos(&aos, &idx), model);
        prop_assert_eq!(gather_records_soa(&soa, &idx), model);
    }

    #[test]
    fn every_order_layout_keeps_its_fields_and_agrees_on_the_notional(
        n in 0usize..300,
        seed in any::<u64>(),
    ) {
        let fields = random_fields(n, seed);
        let model = notional_model(&fields);
        let declared: Vec<Declared> = lay_out(&fields);
        let sorted: Vec<Sorted> = lay_out(&fields);
        let rust: Vec<RustRepr> = lay_out(&fields);
        let packed: Vec<Packed> = lay_out(&fields);
        prop_assert_eq!(notional(&declared), model);
        prop_assert_eq!(notional(&sorted), model);
        prop_assert_eq!(notional(&rust), model);
        prop_assert_eq!(notional(&packed), model);
        for (i, f) in fields.iter().enumerate() {
            prop_assert_eq!(declared[i].fields(), *f);
            prop_assert_eq!(sorted[i].fields(), *f);
            prop_assert_eq!(rust[i].fields(), *f);
            prop_assert_eq!(packed[i].fields(), *f);
        }
    }

    #[test]
    fn unaligned_loads_read_the_little_endian_words(
        seed in any::<u64>(),
        offset in 0usize..PAGE,
        stride in 1usize..200,
        quads in 0usize..8,
        passes in 0usize..3,
    ) {
        let buf = Buffer::new(2, seed);
        let bytes = buf.bytes();
        let count = quads * 4;
        prop_assume!(count == 0 || offset + (count - 1) * stride + 8 <= bytes.len());
        let mut model = 0u64;
        for _ in 0..passes {
            for i in 0..count {
                let at = offset + i * stride;
                let word = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
                model = model.wrapping_add(word);
            }
        }
        prop_assert_eq!(sum_at(bytes, offset, stride, count, passes), model);
    }

    #[test]
    fn inline_and_split_scans_agree_with_the_model(
        n in 0usize..300,
        audit_one_in in 1u64..8,
        seed in any::<u64>(),
    ) {
        let accounts = random_accounts(n, audit_one_in, seed);
        let mut model = Report { total: 0, audited: 0, names: 0 };
        for a in &accounts {
            model.total = model.total.wrapping_add(a.hot.balance);
            if a.hot.flags & AUDIT != 0 {
                model.audited += 1;
                for &b in &a.cold.name {
                    model.names = model.names.wrapping_add(u64::from(b));
                }
            }
        }
        prop_assert_eq!(scan_inline(&accounts), model);
        prop_assert_eq!(scan_split(&split(&accounts)), model);
    }

    #[test]
    fn plain_and_prefetched_gathers_agree_with_the_model(
        lines in 1usize..100,
        seed in any::<u64>(),
        extra in prop::collection::vec(any::<u32>(), 0..50),
        dist in 0usize..300,
        cut in 0usize..150,
        rounds in 0usize..4,
    ) {
        let data = table(lines, seed);
        let mut idx = line_indices(lines, Order::Random(seed));
        // Arbitrary word indices as well as line starts, in any order, with repeats.
        idx.extend(extra.iter().map(|&x| x % data.len() as u32));
        let mix = |mut s: u64| {
            for _ in 0..rounds {
                s ^= s >> 29;
                s = s.wrapping_mul(0xbf58_476d_1ce4_e5b9);
            }
            s
        };
        let model = idx.iter().fold(0u64, |s, &i| mix(s.wrapping_add(data[i as usize])));
        prop_assert_eq!(gather(&data, &idx, rounds), model);
        prop_assert_eq!(gather_prefetch(&data, &idx, idx.len(), dist, rounds), model);
        // A prefix, with prefetches running into the rest of the list.
        let count = cut.min(idx.len());
        prop_assert_eq!(
            gather_prefetch(&data, &idx, count, dist, rounds),
            gather(&data, &idx[..count], rounds)
        );
    }
}

#[test]
fn every_order_visits_every_line_once() {
    for lines in [1, 7, 64, 260, 1000] {
        for order in [
            Order::Sequential,
            Order::Strided(4),
            Order::Strided(65),
            Order::Random(3),
        ] {
            let mut idx = line_indices(lines, order);
            assert_eq!(idx.len(), lines, "{order:?}");
            assert!(
                idx.iter()
                    .all(|&i| (i as usize).is_multiple_of(WORDS_PER_LINE))
            );
            idx.sort_unstable();
            let expected: Vec<u32> = (0..lines).map(|l| (l * WORDS_PER_LINE) as u32).collect();
            assert_eq!(idx, expected, "{order:?} on {lines} lines");
        }
    }
    // The strided order really strides.
    let idx = line_indices(1000, Order::Strided(65));
    assert_eq!(idx[1] - idx[0], (65 * WORDS_PER_LINE) as u32);
    assert_ne!(
        line_indices(100, Order::Random(1)),
        line_indices(100, Order::Sequential)
    );
}

#[test]
fn the_tail_repeats_the_start_of_the_list() {
    assert_eq!(with_tail(&[1, 2, 3], 5), vec![1, 2, 3, 1, 2, 3, 1, 2]);
    assert_eq!(with_tail(&[4, 5], 0), vec![4, 5]);
}

#[test]
fn the_buffer_is_page_aligned_and_the_split_offsets_split() {
    let buf = Buffer::new(3, 1);
    assert_eq!(buf.bytes().as_ptr() as usize % PAGE, 0);
    assert_eq!(buf.bytes().len(), 3 * PAGE);
    assert!(!splits_line(0) && !splits_line(33) && !splits_line(56));
    assert!(splits_line(57) && splits_line(60) && splits_line(63) && splits_line(LINE + 60));
    for (name, offset) in ch06::cases::PAGE_OFFSETS {
        let crosses_page = offset % PAGE + 8 > PAGE;
        assert_eq!(splits_line(offset), name != "aligned", "{name}");
        assert_eq!(crosses_page, name == "page_split", "{name}");
    }
}

#[test]
#[should_panic(expected = "load past the end")]
fn a_stride_whose_last_load_wraps_is_refused() {
    // `3 * stride` wraps to 2 (mod 2^64 on a 64-bit target, and likewise on 32): unchecked, the
    // last load would seem to end at byte 10 of a 16-byte buffer and read far outside it.
    let stride = usize::MAX / 3 + 1;
    let _ = sum_at(&[0u8; 16], 0, stride, 4, 1);
}

#[test]
#[should_panic(expected = "load past the end")]
fn an_offset_whose_last_load_wraps_is_refused() {
    let _ = sum_at(&[0u8; 16], usize::MAX - 3, 0, 4, 1);
}

#[test]
#[should_panic(expected = "do not fit in memory")]
fn a_buffer_whose_size_overflows_is_refused() {
    let _ = Buffer::new(usize::MAX / PAGE + 1, 1);
}

#[test]
fn the_wall_and_counted_cases_fit_their_buffers() {
    use ch06::cases::*;
    // The largest load of every split case ends inside the buffer the harnesses allocate.
    let line_bytes = SPLIT_LINES * LINE + LINE;
    for off in LINE_OFFSETS {
        assert!(off + (SPLIT_LINES - 1) * LINE + 8 <= line_bytes.next_multiple_of(PAGE));
    }
    for (_, off) in PAGE_OFFSETS {
        assert!(off + (SPLIT_PAGES - 1) * PAGE + 8 <= (SPLIT_PAGES + 1) * PAGE);
    }
    assert!(SPLIT_LINES.is_multiple_of(4) && SPLIT_PAGES.is_multiple_of(4));
    assert_eq!(SPLIT_LINES * SPLIT_PASSES, SPLIT_PAGES * PAGE_PASSES);
    assert!(DISTANCES.contains(&DIST));
}

#[test]
fn default_repr_removes_the_padding_on_this_compiler() {
    // Not a promise of the language (hence not a compile-time assertion in the crate), but
    // what every Rust compiler so far has done: sort the fields and drop the padding.
    assert!(std::mem::size_of::<RustRepr>() < std::mem::size_of::<Declared>());
    assert_eq!(
        std::mem::size_of::<RustRepr>(),
        std::mem::size_of::<Sorted>()
    );
}

#[test]
fn soa_columns_hold_the_records_fields() {
    let aos = Aos::random(10, 9);
    let soa = aos.to_soa();
    for (i, r) in aos.records.iter().enumerate() {
        for c in 0..FIELDS {
            assert_eq!(soa.cols[c][i], r.f[c]);
        }
    }
}

#[test]
#[should_panic(expected = "sum 1, 2, 4, 8 or 16 fields")]
fn an_unsupported_field_count_is_refused() {
    sum_fields_aos(&Aos::random(1, 1), 3);
}
