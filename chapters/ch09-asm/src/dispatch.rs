//! Static and dynamic dispatch: the same small operations called through generics, an enum
//! `match`, `&dyn Op` and `Box<dyn Op>`.
//!
//! Two workloads:
//!
//! - **One type**: one operation applied to every value of a slice. The type is the same for
//!   every call, so a compiler that knows it can inline the operation into the loop; through an
//!   opaque `&dyn Op` it cannot, and calls through the vtable for every value.
//! - **Mixed types**: a collection of operations of three types in random order, each applied to
//!   its own value. Here a `dyn` call cannot be resolved at compile time; the alternatives are an
//!   enum (one `match` per item) or keeping the items grouped by type (one loop per type, each
//!   statically dispatched).

// ANCHOR: op
/// An operation on a `u64`.
pub trait Op {
    /// Applies the operation to `x`.
    fn apply(&self, x: u64) -> u64;
}

/// Adds a constant (wrapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Add(pub u64);

/// Multiplies by a constant (wrapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mul(pub u64);

/// Exclusive-or with a constant, then a rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct XorRot(pub u64);

impl Op for Add {
    fn apply(&self, x: u64) -> u64 {
        x.wrapping_add(self.0)
    }
}

impl Op for Mul {
    fn apply(&self, x: u64) -> u64 {
        x.wrapping_mul(self.0)
    }
}

impl Op for XorRot {
    fn apply(&self, x: u64) -> u64 {
        (x ^ self.0).rotate_left(17)
    }
}
// ANCHOR_END: op

// ANCHOR: any_op
/// One of the three operations, as an enum: dispatch by `match`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyOp {
    /// An [`Add`].
    Add(Add),
    /// A [`Mul`].
    Mul(Mul),
    /// An [`XorRot`].
    XorRot(XorRot),
}

impl Op for AnyOp {
    fn apply(&self, x: u64) -> u64 {
        match self {
            AnyOp::Add(o) => o.apply(x),
            AnyOp::Mul(o) => o.apply(x),
            AnyOp::XorRot(o) => o.apply(x),
        }
    }
}
// ANCHOR_END: any_op

impl AnyOp {
    /// The operation as a boxed trait object of its own type.
    pub fn boxed(self) -> Box<dyn Op> {
        match self {
            AnyOp::Add(o) => Box::new(o),
            AnyOp::Mul(o) => Box::new(o),
            AnyOp::XorRot(o) => Box::new(o),
        }
    }

    /// A number that orders the three types (for sorting a collection by type).
    pub fn kind(self) -> u8 {
        match self {
            AnyOp::Add(_) => 0,
            AnyOp::Mul(_) => 1,
            AnyOp::XorRot(_) => 2,
        }
    }

    /// The operation chosen by `r`: its type by `r % 3`, its constant (odd) from the rest.
    pub fn from_random(r: u64) -> AnyOp {
        let k = (r >> 8) | 1;
        match r % 3 {
            0 => AnyOp::Add(Add(k)),
            1 => AnyOp::Mul(Mul(k)),
            _ => AnyOp::XorRot(XorRot(k)),
        }
    }
}

// ANCHOR: one_type
/// Applies `op` to every value and sums the results. Generic: compiled once per type `T`.
#[inline]
pub fn sum_with<T: Op + ?Sized>(op: &T, xs: &[u64]) -> u64 {
    xs.iter()
        .fold(0u64, |acc, &x| acc.wrapping_add(op.apply(x)))
}

/// [`sum_with`] for [`Mul`]: static dispatch, the call inlined into the loop.
#[inline(never)]
pub fn one_type_generic(op: &Mul, xs: &[u64]) -> u64 {
    sum_with(op, xs)
}

/// [`sum_with`] through an opaque `&dyn Op`: the compiler does not know the type, so every
/// value costs a call through the vtable.
#[inline(never)]
pub fn one_type_dyn(op: &dyn Op, xs: &[u64]) -> u64 {
    sum_with(op, xs)
}

/// [`sum_with`] through a `Box<dyn Op>` that the caller built: as opaque as [`one_type_dyn`].
/// (It takes `&Box` on purpose: the experiment is the box.)
#[allow(clippy::borrowed_box)]
#[inline(never)]
pub fn one_type_box(op: &Box<dyn Op>, xs: &[u64]) -> u64 {
    sum_with(&**op, xs)
}

/// [`sum_with`] through a `&dyn Op` whose concrete type the compiler can see: it is created
/// here, so the vtable is a known constant and the call can be devirtualised.
#[inline(never)]
pub fn one_type_dyn_known(k: u64, xs: &[u64]) -> u64 {
    let op: Box<dyn Op> = Box::new(Mul(k));
    sum_with(&*op, xs)
}

/// [`sum_with`] for [`AnyOp`]: one `match` per value, on a value that does not change.
#[inline(never)]
pub fn one_type_enum(op: &AnyOp, xs: &[u64]) -> u64 {
    sum_with(op, xs)
}
// ANCHOR_END: one_type

// ANCHOR: mixed
/// Applies each operation to its value and sums the results: `Box<dyn Op>`, one object per
/// heap allocation.
#[inline(never)]
pub fn mixed_box(ops: &[Box<dyn Op>], xs: &[u64]) -> u64 {
    ops.iter()
        .zip(xs)
        .fold(0u64, |acc, (op, &x)| acc.wrapping_add(op.apply(x)))
}

/// As [`mixed_box`], over `&dyn Op` references to objects kept in one array per type.
#[inline(never)]
pub fn mixed_dyn(ops: &[&dyn Op], xs: &[u64]) -> u64 {
    ops.iter()
        .zip(xs)
        .fold(0u64, |acc, (op, &x)| acc.wrapping_add(op.apply(x)))
}

/// As [`mixed_box`], over an enum: a `match` per item instead of a call.
#[inline(never)]
pub fn mixed_enum(ops: &[AnyOp], xs: &[u64]) -> u64 {
    ops.iter()
        .zip(xs)
        .fold(0u64, |acc, (op, &x)| acc.wrapping_add(op.apply(x)))
}
// ANCHOR_END: mixed

// ANCHOR: grouped
/// A mixed collection kept as one array per type, each operation beside its value.
#[derive(Clone, Debug, Default)]
pub struct Grouped {
    /// The [`Add`] items.
    pub adds: Vec<(Add, u64)>,
    /// The [`Mul`] items.
    pub muls: Vec<(Mul, u64)>,
    /// The [`XorRot`] items.
    pub xors: Vec<(XorRot, u64)>,
}

/// Applies every operation of one type to its value: generic, so each type gets its own loop.
#[inline]
fn sum_pairs<T: Op>(items: &[(T, u64)]) -> u64 {
    items
        .iter()
        .fold(0u64, |acc, (op, x)| acc.wrapping_add(op.apply(*x)))
}

/// As [`mixed_box`], over the collection grouped by type: three statically dispatched loops.
#[inline(never)]
pub fn mixed_grouped(g: &Grouped) -> u64 {
    sum_pairs(&g.adds)
        .wrapping_add(sum_pairs(&g.muls))
        .wrapping_add(sum_pairs(&g.xors))
}
// ANCHOR_END: grouped

impl Grouped {
    /// Groups `ops` (each beside the value of the same index) by type.
    pub fn new(ops: &[AnyOp], xs: &[u64]) -> Grouped {
        let mut g = Grouped::default();
        for (op, &x) in ops.iter().zip(xs) {
            match *op {
                AnyOp::Add(o) => g.adds.push((o, x)),
                AnyOp::Mul(o) => g.muls.push((o, x)),
                AnyOp::XorRot(o) => g.xors.push((o, x)),
            }
        }
        g
    }
}

/// Objects of the three types in one array per type, for `&dyn Op` references into them.
#[derive(Clone, Debug, Default)]
pub struct Arena {
    adds: Vec<Add>,
    muls: Vec<Mul>,
    xors: Vec<XorRot>,
    /// For each item in order: its type and its index in that type's array.
    order: Vec<(u8, usize)>,
}

impl Arena {
    /// Stores `ops` by type, remembering their order.
    pub fn new(ops: &[AnyOp]) -> Arena {
        let mut a = Arena::default();
        for op in ops {
            match *op {
                AnyOp::Add(o) => {
                    a.order.push((0, a.adds.len()));
                    a.adds.push(o);
                }
                AnyOp::Mul(o) => {
                    a.order.push((1, a.muls.len()));
                    a.muls.push(o);
                }
                AnyOp::XorRot(o) => {
                    a.order.push((2, a.xors.len()));
                    a.xors.push(o);
                }
            }
        }
        a
    }

    /// One `&dyn Op` per item, in the original order.
    pub fn refs(&self) -> Vec<&dyn Op> {
        self.order
            .iter()
            .map(|&(kind, i)| -> &dyn Op {
                match kind {
                    0 => &self.adds[i],
                    1 => &self.muls[i],
                    _ => &self.xors[i],
                }
            })
            .collect()
    }
}

/// The model every dispatch computes: each operation applied by a plain `match` on its value,
/// summed with wrapping arithmetic.
pub fn model(ops: &[AnyOp], xs: &[u64]) -> u64 {
    let mut acc = 0u64;
    for (op, &x) in ops.iter().zip(xs) {
        let y = match *op {
            AnyOp::Add(Add(k)) => x.wrapping_add(k),
            AnyOp::Mul(Mul(k)) => x.wrapping_mul(k),
            AnyOp::XorRot(XorRot(k)) => (x ^ k).rotate_left(17),
        };
        acc = acc.wrapping_add(y);
    }
    acc
}
