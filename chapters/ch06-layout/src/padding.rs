//! Field order and padding.
//!
//! One order record, declared four ways. Each field must start at a multiple of its alignment,
//! so a `u8` followed by a `u64` leaves seven bytes of padding, and a struct's size is rounded
//! up to a multiple of its largest alignment. `#[repr(C)]` keeps the fields in declaration
//! order, padding and all; Rust's default representation (`repr(Rust)`) lets the compiler
//! reorder them, and today's compiler sorts them to remove most padding, but the language
//! does not promise any particular layout; `#[repr(C, packed)]` removes padding entirely, at the
//! cost of unaligned fields that may not be borrowed.

use inputs::Rng;

/// The fields of an order, independent of layout: the model every layout is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fields {
    /// Whether the order is live.
    pub active: bool,
    /// Price in ticks.
    pub price: u64,
    /// Buy (0) or sell (1).
    pub side: u8,
    /// Quantity.
    pub qty: u32,
    /// Venue number.
    pub venue: u8,
    /// Time stamp in nanoseconds.
    pub time: u64,
    /// Flag bits.
    pub flags: u16,
}

// ANCHOR: declared
/// The fields in the order a person would write them, laid out as written.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Declared {
    active: bool, // offset 0, then 7 bytes of padding
    price: u64,   // 8
    side: u8,     // 16, then 3 bytes of padding
    qty: u32,     // 20
    venue: u8,    // 24, then 7 bytes of padding
    time: u64,    // 32
    flags: u16,   // 40, then 6 bytes of tail padding
}

const _: () = assert!(std::mem::size_of::<Declared>() == 48);
const _: () = assert!(std::mem::align_of::<Declared>() == 8);
// ANCHOR_END: declared

// ANCHOR: sorted
/// The same fields sorted by alignment, largest first, still laid out as written.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Sorted {
    price: u64,   // 0
    time: u64,    // 8
    qty: u32,     // 16
    flags: u16,   // 20
    active: bool, // 22
    side: u8,     // 23
    venue: u8,    // 24, then 7 bytes of tail padding
}

const _: () = assert!(std::mem::size_of::<Sorted>() == 32);
const _: () = assert!(std::mem::align_of::<Sorted>() == 8);
// ANCHOR_END: sorted

// ANCHOR: rust_repr
/// The fields in the order of [`Declared`], in Rust's default representation: the compiler
/// chooses the order. Its size is not asserted at compile time, because the language does not
/// promise it; the benchmark records what this compiler chose.
#[derive(Clone, Copy, Debug)]
pub struct RustRepr {
    active: bool,
    price: u64,
    side: u8,
    qty: u32,
    venue: u8,
    time: u64,
    flags: u16,
}
// ANCHOR_END: rust_repr

// ANCHOR: packed
/// The fields of [`Sorted`] with no padding at all, alignment one.
#[repr(C, packed)]
#[derive(Clone, Copy, Debug)]
pub struct Packed {
    price: u64,
    time: u64,
    qty: u32,
    flags: u16,
    active: bool,
    side: u8,
    venue: u8,
}

const _: () = assert!(std::mem::size_of::<Packed>() == 25);
const _: () = assert!(std::mem::align_of::<Packed>() == 1);
// ANCHOR_END: packed

/// An order in some layout.
pub trait Order: Copy {
    /// The layout's name as the benchmark ids spell it.
    const NAME: &'static str;
    /// Lays out `f`.
    fn from_fields(f: Fields) -> Self;
    /// Reads every field back.
    fn fields(&self) -> Fields;
    /// Whether the order is live.
    fn active(&self) -> bool;
    /// Its price.
    fn price(&self) -> u64;
    /// Its quantity.
    fn qty(&self) -> u32;
}

// Every accessor copies the field out by value, which is also what a packed struct allows
// (taking a reference to one of its fields is an error).
macro_rules! order {
    ($t:ident, $name:literal) => {
        impl Order for $t {
            const NAME: &'static str = $name;
            fn from_fields(f: Fields) -> Self {
                $t {
                    active: f.active,
                    price: f.price,
                    side: f.side,
                    qty: f.qty,
                    venue: f.venue,
                    time: f.time,
                    flags: f.flags,
                }
            }
            fn fields(&self) -> Fields {
                Fields {
                    active: self.active,
                    price: self.price,
                    side: self.side,
                    qty: self.qty,
                    venue: self.venue,
                    time: self.time,
                    flags: self.flags,
                }
            }
            #[inline]
            fn active(&self) -> bool {
                self.active
            }
            #[inline]
            fn price(&self) -> u64 {
                self.price
            }
            #[inline]
            fn qty(&self) -> u32 {
                self.qty
            }
        }
    };
}

order!(Declared, "declared");
order!(Sorted, "sorted");
order!(RustRepr, "rust");
order!(Packed, "packed");

// ANCHOR: notional
/// Total value (price times quantity) of the live orders, without a branch on the data.
pub fn notional<T: Order>(orders: &[T]) -> u64 {
    orders.iter().fold(0u64, |total, o| {
        let value = o.price().wrapping_mul(u64::from(o.qty()));
        total.wrapping_add(value * u64::from(o.active()))
    })
}
// ANCHOR_END: notional

/// `n` seeded random orders, about three quarters of them live.
pub fn random_fields(n: usize, seed: u64) -> Vec<Fields> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let r = rng.next_u64();
            Fields {
                active: r & 3 != 0,
                price: rng.below(1 << 20),
                side: (r >> 2) as u8 & 1,
                qty: rng.below(1000) as u32,
                venue: (r >> 8) as u8,
                time: rng.next_u64(),
                flags: (r >> 16) as u16,
            }
        })
        .collect()
}

/// The orders `fields` in layout `T`.
pub fn lay_out<T: Order>(fields: &[Fields]) -> Vec<T> {
    fields.iter().map(|&f| T::from_fields(f)).collect()
}
