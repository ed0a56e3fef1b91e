//! The solvers' errors: what can go wrong with a matrix or a capacitated problem.
//!
//! The solvers are a general-purpose layer under the cohort matcher, so they have an
//! error type of their own: a user of [`solve_dense`](super::solve_dense) never matches
//! on a cohort's missing field, and a cohort user never sees a matrix shape. The cohort
//! matcher builds its problems itself and reports its own
//! [`Error::Uncertified`](crate::Error::Uncertified) if a solve ever fails.

/// Shorthand for results whose error is the solvers' [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in [`assign`](super): bad input, arithmetic that
/// would overflow, an infeasible problem, or a rejected certificate.
///
/// Marked `#[non_exhaustive]`: later versions may add variants.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An arc given to [`CapacitatedProblem::add_row`](super::CapacitatedProblem::add_row)
    /// names a column that does not exist.
    #[error("row {row}: column {col} is out of range, the problem has {cols} columns")]
    ColumnOutOfRange {
        /// The row being added.
        row: usize,
        /// The column named.
        col: usize,
        /// How many columns the problem has.
        cols: usize,
    },
    /// The solver's exact integer arithmetic would overflow the cost type: use a wider
    /// cost type or smaller costs.
    #[error("cost overflow: the costs are too large for exact arithmetic in this cost type")]
    CostOverflow,
    /// No assignment gives every row that must be assigned a column.
    #[error("infeasible: row {row} cannot be assigned together with the rows before it")]
    Infeasible {
        /// The first row (in input order) that could not be assigned.
        row: usize,
    },
    /// A float cost that cannot be solved: NaN, or the infinity of the direction being
    /// sought (−∞ when minimising, +∞ when maximising).
    #[error("invalid cost {value} at row {row}, column {col}")]
    InvalidCost {
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
        /// The value.
        value: f64,
    },
    /// A matrix whose data length is not rows × cols.
    #[error("a {rows} × {cols} matrix needs {} entries, got {len}", u128::from(*rows as u64) * u128::from(*cols as u64))]
    MatrixShape {
        /// Rows declared.
        rows: usize,
        /// Columns declared.
        cols: usize,
        /// Entries given.
        len: usize,
    },
    /// A (primal, dual) certificate that does not prove optimality.
    #[error("certificate rejected: {reason}")]
    CertificateRejected {
        /// The first violated condition, in words.
        reason: String,
    },
    /// A solver's answer failed its own optimality check, and so did the plain
    /// fallback it then ran: a bug in this crate, reported instead of a wrong answer.
    /// Please report it with the input.
    #[error("internal error, no certified solution: {reason}")]
    Uncertified {
        /// The condition the last answer violated, in words.
        reason: String,
    },
    /// Slot costs that fall: column `col`'s slot `slot` costs less than the slot before
    /// it. The solvers need convex (non-decreasing) slot costs over the slots a column
    /// could fill; a falling cost would make shortest augmenting paths unsound.
    #[error("slot costs must not decrease: column {col}, slot {slot} costs less than slot {}", slot - 1)]
    NonConvexSlotCosts {
        /// The column.
        col: usize,
        /// The first slot (from 0) that costs less than the one before it.
        slot: u32,
    },
}
