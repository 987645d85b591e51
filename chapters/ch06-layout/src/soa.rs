//! Array of structures against structure of arrays.
//!
//! A [`Record`] has sixteen `u32` fields and fills one 64-byte cache line exactly. [`Aos`] keeps
//! the records one after another; [`Soa`] keeps each field in its own array. A scan that reads
//! `k` of the sixteen fields pulls every line of the AoS array through the caches, whatever `k`
//! is, and only `k` sixteenths of the SoA's bytes. A gather that reads whole records at random
//! touches one line per record in the AoS and sixteen in the SoA.

use inputs::Rng;

/// Fields per record.
pub const FIELDS: usize = 16;

// ANCHOR: record
/// One record: sixteen `u32` fields, aligned so that each record is exactly one cache line.
#[repr(C, align(64))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// The fields, numbered 0 to 15.
    pub f: [u32; FIELDS],
}

const _: () = assert!(std::mem::size_of::<Record>() == 64);
const _: () = assert!(std::mem::align_of::<Record>() == 64);

/// The records as an array of structures: record `i` is one line.
pub struct Aos {
    /// The records, in order.
    pub records: Vec<Record>,
}

/// The same records as a structure of arrays: field `c` of record `i` is `cols[c][i]`.
pub struct Soa {
    /// One array per field.
    pub cols: [Vec<u32>; FIELDS],
}
// ANCHOR_END: record

impl Aos {
    /// `n` records of seeded random fields.
    pub fn random(n: usize, seed: u64) -> Aos {
        let mut rng = Rng::new(seed);
        let records = (0..n)
            .map(|_| Record {
                f: std::array::from_fn(|_| rng.next_u64() as u32),
            })
            .collect();
        Aos { records }
    }

    /// The same records, field by field.
    pub fn to_soa(&self) -> Soa {
        Soa {
            cols: std::array::from_fn(|c| self.records.iter().map(|r| r.f[c]).collect()),
        }
    }
}

// ANCHOR: sum_aos
/// Sum of the first `K` fields of every record, reading record by record.
fn sum_aos_k<const K: usize>(records: &[Record]) -> u64 {
    let mut total = 0u64;
    for r in records {
        for &x in &r.f[..K] {
            total += u64::from(x);
        }
    }
    total
}
// ANCHOR_END: sum_aos

/// Sum of the first `k` fields of every record, in the AoS layout.
///
/// # Panics
/// If `k` is not one of 1, 2, 4, 8, 16 (each a separate monomorphised loop, so that the
/// compiler knows how many fields it reads).
pub fn sum_fields_aos(aos: &Aos, k: usize) -> u64 {
    match k {
        1 => sum_aos_k::<1>(&aos.records),
        2 => sum_aos_k::<2>(&aos.records),
        4 => sum_aos_k::<4>(&aos.records),
        8 => sum_aos_k::<8>(&aos.records),
        16 => sum_aos_k::<16>(&aos.records),
        _ => panic!("k = {k}: sum 1, 2, 4, 8 or 16 fields"),
    }
}

// ANCHOR: sum_soa
/// Sum of the first `k` fields of every record, in the SoA layout: one pass per field array.
pub fn sum_fields_soa(soa: &Soa, k: usize) -> u64 {
    soa.cols[..k]
        .iter()
        .map(|col| col.iter().map(|&x| u64::from(x)).sum::<u64>())
        .sum()
}
// ANCHOR_END: sum_soa

// ANCHOR: whole_records
/// Sum of every field of the records at `idx`, in the AoS layout: one line per record.
pub fn gather_records_aos(aos: &Aos, idx: &[u32]) -> u64 {
    idx.iter()
        .map(|&i| {
            let r = &aos.records[i as usize];
            r.f.iter().map(|&x| u64::from(x)).sum::<u64>()
        })
        .sum()
}

/// Sum of every field of the records at `idx`, in the SoA layout: sixteen lines per record.
pub fn gather_records_soa(soa: &Soa, idx: &[u32]) -> u64 {
    idx.iter()
        .map(|&i| {
            let i = i as usize;
            soa.cols.iter().map(|col| u64::from(col[i])).sum::<u64>()
        })
        .sum()
}
// ANCHOR_END: whole_records

/// `n` seeded random record indices below `records`.
pub fn random_indices(n: usize, records: usize, seed: u64) -> Vec<u32> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| rng.below(records as u64) as u32).collect()
}
