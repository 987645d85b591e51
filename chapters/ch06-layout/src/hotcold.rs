//! Hot/cold splitting.
//!
//! An account has a few fields that every scan reads (its balance, its flags) and many that
//! almost nothing reads (names, an address, a creation date). Kept inline, the cold bytes ride
//! along into the caches with every hot one. Moved to a parallel array, they stay in memory
//! until the rare account that needs them is found.

use inputs::Rng;

/// The flag that marks an account for audit: the rare case that reads the cold part.
pub const AUDIT: u32 = 1;

// ANCHOR: inline
/// The fields a scan reads.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hot {
    /// Account number.
    pub id: u32,
    /// Flag bits; [`AUDIT`] marks the rare account whose cold part is read.
    pub flags: u32,
    /// Balance in cents.
    pub balance: i64,
}

/// The fields a scan almost never reads.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cold {
    /// Holder's name, padded with zeros.
    pub name: [u8; 48],
    /// Postal address, padded with zeros.
    pub address: [u8; 56],
    /// Creation time, seconds since the epoch.
    pub created: u64,
}

/// Hot and cold together: what a first design stores.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Account {
    /// The hot part.
    pub hot: Hot,
    /// The cold part, inline.
    pub cold: Cold,
}

const _: () = assert!(std::mem::size_of::<Hot>() == 16);
const _: () = assert!(std::mem::size_of::<Cold>() == 112);
const _: () = assert!(std::mem::size_of::<Account>() == 128);

/// The same accounts split: `hot[i]` and `cold[i]` are account `i`.
pub struct Split {
    /// The hot parts, 16 bytes each, four to a cache line.
    pub hot: Vec<Hot>,
    /// The cold parts, in the same order.
    pub cold: Vec<Cold>,
}
// ANCHOR_END: inline

/// What a scan reports: the total balance, and a checksum of the names of the accounts marked
/// for audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    /// Sum of every balance.
    pub total: i64,
    /// Accounts marked for audit.
    pub audited: u32,
    /// Wrapping sum of the name bytes of those accounts.
    pub names: u64,
}

/// Checksum of a name: the wrapping sum of its bytes.
fn name_sum(name: &[u8; 48]) -> u64 {
    name.iter().map(|&b| u64::from(b)).sum()
}

// ANCHOR: scan_inline
/// One pass over the inline accounts.
pub fn scan_inline(accounts: &[Account]) -> Report {
    let mut r = Report {
        total: 0,
        audited: 0,
        names: 0,
    };
    for a in accounts {
        r.total = r.total.wrapping_add(a.hot.balance);
        if a.hot.flags & AUDIT != 0 {
            r.audited += 1;
            r.names = r.names.wrapping_add(name_sum(&a.cold.name));
        }
    }
    r
}
// ANCHOR_END: scan_inline

// ANCHOR: scan_split
/// The same pass over the split accounts: the cold array is read only for audited accounts.
pub fn scan_split(split: &Split) -> Report {
    let mut r = Report {
        total: 0,
        audited: 0,
        names: 0,
    };
    for (i, h) in split.hot.iter().enumerate() {
        r.total = r.total.wrapping_add(h.balance);
        if h.flags & AUDIT != 0 {
            r.audited += 1;
            r.names = r.names.wrapping_add(name_sum(&split.cold[i].name));
        }
    }
    r
}
// ANCHOR_END: scan_split

/// Splits inline accounts into their hot and cold arrays.
pub fn split(accounts: &[Account]) -> Split {
    Split {
        hot: accounts.iter().map(|a| a.hot).collect(),
        cold: accounts.iter().map(|a| a.cold).collect(),
    }
}

/// `n` seeded random accounts, one in `audit_one_in` (on average) marked for audit.
pub fn random_accounts(n: usize, audit_one_in: u64, seed: u64) -> Vec<Account> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let mut name = [0u8; 48];
            let mut address = [0u8; 56];
            name.iter_mut()
                .for_each(|b| *b = b'a' + rng.below(26) as u8);
            address
                .iter_mut()
                .for_each(|b| *b = b' ' + rng.below(90) as u8);
            let audit = rng.below(audit_one_in) == 0;
            Account {
                hot: Hot {
                    id: i as u32,
                    flags: if audit { AUDIT } else { 0 } | ((rng.next_u64() as u32) & !AUDIT),
                    balance: rng.below(2_000_000) as i64 - 1_000_000,
                },
                cold: Cold {
                    name,
                    address,
                    created: rng.next_u64() >> 32,
                },
            }
        })
        .collect()
}
