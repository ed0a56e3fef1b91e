//! Exact assignment solvers, usable without cohorts.
//!
//! Two problem shapes, one algorithmic family — shortest augmenting paths with dual
//! potentials (R. Jonker and A. Volgenant, *A shortest augmenting path algorithm for
//! dense and sparse linear assignment problems*, Computing 38, 1987):
//!
//! - **dense** ([`solve_dense`]): a full `rows × cols` cost matrix of `i64` or `f64`,
//!   minimised or maximised, rectangular either way, with optional forbidden entries
//!   and an optional per-row cost of staying unassigned. Complete integer and float
//!   matrices run the Jonker–Volgenant algorithm proper (column reduction, reduction
//!   transfer, augmenting row reduction, then shortest augmenting paths that scan all
//!   columns at the current minimum distance together);
//! - **sparse capacitated** ([`CapacitatedProblem`], [`solve`], [`min_cost_max_flow`]):
//!   rows with lists of `(column, cost)` arcs, columns with capacities and convex
//!   per-slot costs handled natively in the augmenting paths — a column of capacity
//!   10⁹ is one node, never 10⁹ copies. This is what the cohort matcher uses.
//!
//! # Exactness
//! Integer costs are solved in integer arithmetic. The sparse solver checks every
//! addition and subtraction and returns
//! [`Error::CostOverflow`] instead of a wrapped number. The
//! dense solver proves from the input's range which of `i32`, `i64` or `i128` cannot
//! overflow and solves in that, so every `i64` matrix is solved exactly, with `i128`
//! objectives and duals. Float matrices are solved in `f64`, exactly as far as `f64`
//! addition is.
//!
//! # Certificates
//! Every solution carries dual potentials, and [`verify`] / [`verify_dense`] check a
//! (primal, dual) pair independently of the solver: feasibility of the assignment,
//! non-negative reduced costs everywhere, and the objective. Anyone can check
//! optimality without trusting this code.
//!
//! The solvers run the same check on their own answers before returning them, and
//! never return one that fails: they solve again by a plain route (the Hungarian
//! method for dense matrices, rows added one by one for sparse problems) whose answer
//! must pass too, or return [`Error::Uncertified`]. The check is one pass over the
//! matrix or the arcs; `PERFORMANCE.md` gives its measured share of a solve.
//!
//! # Limits
//! The sparse solver adds one unit of supply at a time, each by a Dijkstra that settles
//! every node closer than the nearest free slot. Adding rows is fast while slots are
//! plentiful, but when slots run out each row that cannot be placed searches most of
//! the network. So when there are fewer usable slots than rows (and every row may stay
//! unassigned), [`solve`] adds the slots instead, each a unit that takes a row or stays
//! empty, and maps the flow and duals back. The slots' side has its own weak
//! spot: costs whose rows fall in classes far apart (such as the matcher's urgency tiers,
//! each worth more than any quality difference) make each slot search far for a free
//! row of the best class; the matcher handles its tiers in stages for that reason.
//! `PERFORMANCE.md` has the figures, side by side with OR-tools, and the harness.
//!
//! # Determinism
//! No randomness, no hash maps, no threads whose scheduling could leak into the
//! result: the same input gives the same assignment, bit for bit.

mod certificate;
mod dense;
mod error;
mod hungarian;
mod slot_side;
mod sparse;
mod split;

use std::fmt::Debug;

pub use certificate::{verify, verify_dense, verify_max_flow};
pub(crate) use certificate::{verify_network, verify_network_on};
pub use dense::{
    DenseEntry, DenseSolution, DenseSolutionOf, DenseValue, Matrix, Sense, solve_dense,
    solve_dense_with_unassigned,
};
pub use error::{Error, Result};
pub use sparse::{CapacitatedProblem, Duals, Solution, min_cost_max_flow, solve};
pub(crate) use sparse::{Network, Orientation, insert_rows, resolve, solve_oriented};
pub(crate) use split::{reinsert_rows, reinsert_rows_locally, solve_split};

/// The overflow error, built only when an operation actually overflows: building it
/// eagerly on every checked step showed up in profiles.
#[cold]
fn overflow() -> Error {
    Error::CostOverflow
}

/// Returns `fast` when `check` accepts it. Otherwise (a bug in the fast route) returns
/// `fallback()`'s answer, which must pass the same check, or
/// [`Error::Uncertified`] naming `route` and what failed.
/// Errors other than a rejected certificate pass through unchanged.
fn certified<S, W>(
    fast: S,
    check: impl Fn(&S) -> Result<W>,
    route: &str,
    fallback: impl FnOnce() -> Result<S>,
) -> Result<S> {
    match check(&fast) {
        Ok(_) => Ok(fast),
        Err(Error::CertificateRejected { .. }) => {
            let plain = fallback()?;
            match check(&plain) {
                Ok(_) => Ok(plain),
                Err(Error::CertificateRejected { reason }) => Err(Error::Uncertified {
                    reason: format!("{route}: {reason}"),
                }),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// `a + b`, or [`Error::CostOverflow`].
fn add<C: Cost>(a: C, b: C) -> Result<C> {
    a.checked_add(b).ok_or_else(overflow)
}

/// `a − b`, or [`Error::CostOverflow`].
fn sub<C: Cost>(a: C, b: C) -> Result<C> {
    a.checked_sub(b).ok_or_else(overflow)
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for i128 {}
    impl<C: Sealed> Sealed for super::Lexicographic<C> {}
}
pub(crate) use sealed::Sealed;

/// An exact integer cost the sparse solver can add, subtract and compare.
///
/// Implemented for `i64`, `i128` and [`Lexicographic`] pairs of them; sealed, so the
/// solver's overflow checks cover every implementation.
pub trait Cost: Copy + Ord + Debug + Sealed {
    /// The cost of nothing.
    const ZERO: Self;
    /// A unit cost (for a pair, a unit in the major component).
    const ONE: Self;
    /// `self + rhs`, or `None` on overflow.
    fn checked_add(self, rhs: Self) -> Option<Self>;
    /// `self - rhs`, or `None` on overflow.
    fn checked_sub(self, rhs: Self) -> Option<Self>;
}

macro_rules! int_cost {
    ($($t:ty),*) => {$(
        impl Cost for $t {
            const ZERO: Self = 0;
            const ONE: Self = 1;
            fn checked_add(self, rhs: Self) -> Option<Self> {
                <$t>::checked_add(self, rhs)
            }
            fn checked_sub(self, rhs: Self) -> Option<Self> {
                <$t>::checked_sub(self, rhs)
            }
        }
    )*};
}
int_cost!(i64, i128);

/// Two costs compared lexicographically: `major` first, `minor` to break ties.
///
/// Adds component-wise, so it is a cost in its own right: the solvers optimise a
/// lexicographic objective exactly, with no big-M constant to overflow.
/// [`min_cost_max_flow`] uses it for (unassigned rows, cost).
///
/// ```
/// use peermatch::assign::Lexicographic;
/// assert!(Lexicographic { major: 0, minor: 100 } < Lexicographic { major: 1, minor: -5 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Lexicographic<C> {
    /// The more significant cost.
    pub major: C,
    /// The less significant cost.
    pub minor: C,
}

impl<C: Cost> Cost for Lexicographic<C> {
    const ZERO: Self = Lexicographic {
        major: C::ZERO,
        minor: C::ZERO,
    };
    const ONE: Self = Lexicographic {
        major: C::ONE,
        minor: C::ZERO,
    };
    fn checked_add(self, rhs: Self) -> Option<Self> {
        Some(Lexicographic {
            major: self.major.checked_add(rhs.major)?,
            minor: self.minor.checked_add(rhs.minor)?,
        })
    }
    fn checked_sub(self, rhs: Self) -> Option<Self> {
        Some(Lexicographic {
            major: self.major.checked_sub(rhs.major)?,
            minor: self.minor.checked_sub(rhs.minor)?,
        })
    }
}
