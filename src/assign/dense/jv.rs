//! The Jonker–Volgenant core, generic over the arithmetic: the start-up phases and
//! the shortest augmenting paths (see the parent module's docs).

use std::fmt::Debug;
use std::ops::{Add, Sub};

use super::auction::auction_prices;
use super::scan::transpose_map;

/// Arithmetic the JV core runs in. Callers guarantee no overflow (integers) by bounds.
pub(in crate::assign) trait Num:
    Copy + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Debug
{
    const ZERO: Self;
    /// Larger than any reduced cost that can occur.
    const HUGE: Self;
    /// The value as an exact `i64`, for the auction fallback (never for floats).
    fn to_i64(self) -> Option<i64>;
    /// An `i64` price back in this type; only called with values of the input's range.
    fn from_i64(x: i64) -> Self;
}

impl Num for i32 {
    const ZERO: Self = 0;
    const HUGE: Self = i32::MAX / 2;
    fn to_i64(self) -> Option<i64> {
        Some(i64::from(self))
    }
    fn from_i64(x: i64) -> Self {
        x as i32
    }
}

impl Num for i64 {
    const ZERO: Self = 0;
    const HUGE: Self = i64::MAX / 2;
    fn to_i64(self) -> Option<i64> {
        Some(self)
    }
    fn from_i64(x: i64) -> Self {
        x
    }
}

impl Num for i128 {
    const ZERO: Self = 0;
    const HUGE: Self = i128::MAX / 2;
    fn to_i64(self) -> Option<i64> {
        i64::try_from(self).ok()
    }
    fn from_i64(x: i64) -> Self {
        i128::from(x)
    }
}

impl Num for f64 {
    const ZERO: Self = 0.0;
    const HUGE: Self = f64::MAX;
    fn to_i64(self) -> Option<i64> {
        None
    }
    fn from_i64(x: i64) -> Self {
        x as f64
    }
}

pub(in crate::assign) const FREE: u32 = u32::MAX;

/// Solves the `rows × cols` problem `c` (row-major, minimising, `rows ≤ cols`).
/// Returns row → column, column → row (or `FREE`) and the column prices `v`; the row
/// duals are `c[i][x[i]] − v[x[i]]`.
pub(super) fn jv<T: Num>(rows: usize, cols: usize, c: &[T]) -> (Vec<u32>, Vec<u32>, Vec<T>) {
    jv_tuned(rows, cols, c, AUCTION_MIN_N, AUCTION_BUDGET)
}

/// [`jv`] with the auction switch's size threshold and budget as parameters (tests
/// force the auction route on small matrices with both at 0). The phases run in the
/// order of the module docs, each a method of [`Jv`].
pub(super) fn jv_tuned<T: Num>(
    rows: usize,
    cols: usize,
    c: &[T],
    auction_min_n: usize,
    auction_budget: u64,
) -> (Vec<u32>, Vec<u32>, Vec<T>) {
    jv_started(rows, cols, c, Known::Nothing, auction_min_n, auction_budget)
}

/// What the pass that bounded (or copied) a matrix found on the way, so that JV's
/// first phase need not read the matrix again.
pub(super) enum Known<'k, T> {
    /// Nothing.
    Nothing,
    /// Each row's first bid (wide matrices).
    Tops(&'k [Top<T>]),
    /// Each column's least cost (square matrices).
    Minima(ColumnMinima<T>),
}

/// Each column's least cost and the first row reaching it, built a row at a time.
#[derive(Debug, Clone)]
pub(super) struct ColumnMinima<T> {
    least: Vec<T>,
    row: Vec<u32>,
}

impl<T: Num> ColumnMinima<T> {
    /// The minima of the first row.
    pub(super) fn new(first: &[T]) -> Self {
        ColumnMinima {
            least: first.to_vec(),
            row: vec![0; first.len()],
        }
    }

    /// Takes row `i` (rows come in order from 1) into account.
    #[inline]
    pub(super) fn add(&mut self, i: usize, r: &[T]) {
        self.add_shifted(i, r, T::ZERO);
    }

    /// Takes row `i` into account with `shift` subtracted from each of its costs.
    #[inline]
    fn add_shifted(&mut self, i: usize, r: &[T], shift: T) {
        for ((l, a), &x) in self.least.iter_mut().zip(&mut self.row).zip(r) {
            let reduced = x - shift;
            if reduced < *l {
                *l = reduced;
                *a = i as u32;
            }
        }
    }

    /// The minima of the `cols`-wide matrix `c` (at least one row), each row's costs
    /// less its `offset` if given.
    fn of(c: &[T], cols: usize, offset: Option<&[T]>) -> Self {
        let shift = |i: usize| offset.map_or(T::ZERO, |o| o[i]);
        let mut rows = c.chunks_exact(cols);
        let first = rows.next().expect("at least one row");
        let mut minima = ColumnMinima::new(first);
        let s = shift(0);
        minima.least.iter_mut().for_each(|l| *l = *l - s);
        for (i, r) in rows.enumerate() {
            minima.add_shifted(i + 1, r, shift(i + 1));
        }
        minima
    }
}

/// [`jv`] on a square matrix whose [`ColumnMinima`] are known.
pub(super) fn jv_square<T: Num>(n: usize, c: &[T], minima: ColumnMinima<T>) -> (Vec<u32>, Vec<T>) {
    debug_assert!(minima.least.len() == n && minima.row.len() == n);
    let (x, _, v) = jv_started(
        n,
        n,
        c,
        Known::Minima(minima),
        AUCTION_MIN_N,
        AUCTION_BUDGET,
    );
    (x, v)
}

/// [`jv`] on a wide matrix whose rows' [`Top`]s are known (from [`row_tops`]), so
/// that the first bids need not read the rows again.
pub(super) fn jv_wide(
    rows: usize,
    cols: usize,
    c: &[i64],
    tops: &[Top<i64>],
) -> (Vec<u32>, Vec<i64>) {
    debug_assert!(rows < cols && tops.len() == rows);
    let (x, _, v) = jv_started(
        rows,
        cols,
        c,
        Known::Tops(tops),
        AUCTION_MIN_N,
        AUCTION_BUDGET,
    );
    (x, v)
}

fn jv_started<T: Num>(
    rows: usize,
    cols: usize,
    c: &[T],
    known: Known<'_, T>,
    auction_min_n: usize,
    auction_budget: u64,
) -> (Vec<u32>, Vec<u32>, Vec<T>) {
    debug_assert!(rows <= cols && c.len() == rows * cols);
    let (tops, minima) = match known {
        Known::Nothing => (&[][..], None),
        Known::Tops(tops) => (tops, None),
        Known::Minima(minima) => (&[][..], Some(minima)),
    };
    let mut jv = Jv {
        rows,
        cols,
        c,
        x: vec![FREE; rows],
        y: vec![FREE; cols],
        v: vec![T::ZERO; cols],
        free: Vec::with_capacity(rows),
        row_floor: Vec::new(),
        tops,
    };
    if rows == 0 {
        return (jv.x, jv.y, jv.v);
    }
    if cols == 1 {
        jv.x[0] = 0;
        jv.y[0] = 0;
        jv.v[0] = c[0];
        return (jv.x, jv.y, jv.v);
    }
    if rows == cols {
        jv.column_reduction(minima);
    } else {
        jv.free.extend(0..rows as u32);
    }
    // Identical column minima everywhere (heavy ties): rows would only trade columns.
    let heavy_ties = rows == cols && jv.v.iter().all(|&p| p == jv.v[0]);
    if heavy_ties {
        jv.place_ties_greedily();
    } else {
        jv.augmenting_row_reduction();
    }
    jv.shortest_augmenting_paths(auction_min_n, auction_budget);
    (jv.x, jv.y, jv.v)
}

/// What the JV phases share: the problem, the assignment both ways, the column
/// prices, the rows still free, and each row's floor.
struct Jv<'c, T> {
    rows: usize,
    cols: usize,
    /// The costs, row-major.
    c: &'c [T],
    /// Row → column, or [`FREE`].
    x: Vec<u32>,
    /// Column → row, or [`FREE`].
    y: Vec<u32>,
    /// Column prices.
    v: Vec<T>,
    /// Rows without a column, in the order the next phase takes them.
    free: Vec<u32>,
    /// Each row's least reduced cost `c[i][j] − v[j]` after the column reduction: 0
    /// after a plain one (empty here), the row's own minimum after a row-offset one.
    row_floor: Vec<T>,
    /// Each row's [`Top`] at zero prices, when known (else empty).
    tops: &'c [Top<T>],
}

/// A row's least and second least cost with their columns, as the bidding of
/// [`augmenting_row_reduction`] finds them (the first column reaching each).
#[derive(Debug, Clone, Copy)]
pub(super) struct Top<T> {
    least: T,
    first: u32,
    second: T,
    next: u32,
}

impl<T: Num> Top<T> {
    /// A row whose first column costs `h`.
    fn start(h: T) -> Self {
        Top {
            least: h,
            first: 0,
            second: T::HUGE,
            next: 0,
        }
    }

    /// Column `j` (after the first, in order) costs `h`.
    #[inline]
    fn offer(&mut self, j: usize, h: T) {
        if h < self.second {
            if h >= self.least {
                (self.second, self.next) = (h, j as u32);
            } else {
                (self.second, self.next) = (self.least, self.first);
                (self.least, self.first) = (h, j as u32);
            }
        }
    }
}

/// Every row's [`Top`] at zero prices of a matrix with at least two columns, and the
/// largest magnitude of an entry, in one pass that only compares (so no bound is needed
/// yet; the tops are used only when the bound holds, and then every entry is below
/// [`Num::HUGE`]).
pub(super) fn row_tops(cols: usize, c: &[i64]) -> (Vec<Top<i64>>, u64) {
    debug_assert!(cols >= 2 && c.len().is_multiple_of(cols));
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    let tops = c
        .chunks_exact(cols)
        .map(|r| {
            let mut top = Top::start(r[0]);
            let mut offer = |base: usize, block: &[i64]| {
                for (k, &h) in block.iter().enumerate() {
                    if base + k > 0 {
                        top.offer(base + k, h);
                    }
                }
                top.second
            };
            // Blocks of eight: one branch-free pass finds the block's extremes, and
            // only a block with an entry below the second least is looked at again.
            let blocks = r.chunks_exact(8);
            let tail = blocks.remainder();
            let mut bar = i64::MAX;
            for (b, block) in blocks.enumerate() {
                let (mut l, mut h) = ([i64::MAX; 4], [i64::MIN; 4]);
                for k in 0..4 {
                    l[k] = block[k].min(block[k + 4]);
                    h[k] = block[k].max(block[k + 4]);
                }
                let block_lo = l[0].min(l[1]).min(l[2].min(l[3]));
                lo = lo.min(block_lo);
                hi = hi.max(h[0].max(h[1]).max(h[2].max(h[3])));
                if block_lo < bar {
                    bar = offer(8 * b, block);
                }
            }
            for &x in tail {
                lo = lo.min(x);
                hi = hi.max(x);
            }
            offer(r.len() - tail.len(), tail);
            top
        })
        .collect();
    (tops, lo.unsigned_abs().max(hi.unsigned_abs()))
}

impl<T: Num> Jv<'_, T> {
    /// Row `i` of the costs.
    fn row(&self, i: usize) -> &[T] {
        &self.c[i * self.cols..(i + 1) * self.cols]
    }

    /// Square matrices only. Column reduction: each column's price is its minimum;
    /// the row holding the minimum takes the column if it has none yet (scanning
    /// columns from the last, as in the original, so ties go to the lower row and
    /// later columns yield; the minima are `known` when the pass that bounded the
    /// matrix found them). With strong row effects, rows are reduced first. Then
    /// reduction transfer; rows left without a column are [`Jv::free`].
    fn column_reduction(&mut self, known: Option<ColumnMinima<T>>) {
        let (rows, cols) = (self.rows, self.cols);
        let minima = known.unwrap_or_else(|| ColumnMinima::of(self.c, cols, None));
        self.v = minima.least;
        let mut argmin = minima.row;
        // Strong row effects (one row cheapest everywhere) leave most rows without a
        // column; then reduce rows first. Every later step compares costs within a row
        // only, so a per-row offset changes nothing else.
        let mut seen = vec![false; rows];
        argmin.iter().for_each(|&i| seen[i as usize] = true);
        // With every column minimum equal, the crowding comes from ties (the first row
        // reaching the minimum wins it), which row reduction does not undo.
        let all_equal = self.v.iter().all(|&p| p == self.v[0]);
        if !all_equal && seen.iter().filter(|&&s| s).count() * 2 < rows {
            let offset: Vec<T> = (0..rows)
                .map(|i| {
                    let r = self.row(i);
                    r.iter()
                        .copied()
                        .fold(r[0], |m, c| if c < m { c } else { m })
                })
                .collect();
            // Equal row minima (typical of many ties) would change nothing.
            if offset.iter().any(|&o| o != offset[0]) {
                let minima = ColumnMinima::of(self.c, cols, Some(&offset));
                (self.v, argmin) = (minima.least, minima.row);
                self.row_floor = offset;
            }
        }
        let mut matches = vec![0u32; rows];
        for j in (0..cols).rev() {
            let i = argmin[j] as usize;
            matches[i] += 1;
            if matches[i] == 1 {
                self.x[i] = j as u32;
                self.y[j] = i as u32;
            }
        }
        reduction_transfer(self.c, cols, &matches, &self.x, &mut self.v, &mut self.free);
    }

    /// Heavy ties: the column reduction slots few rows (the first row at each column's
    /// minimum wins it), but most free rows have a free column at their least reduced
    /// cost (`row_floor`): take it greedily. Only a column at the row's floor keeps the
    /// row at its minimum, which the augmentation relies on; after a row-offset
    /// reduction that floor is the offset, not 0. Each row's scan starts where the
    /// previous one stopped, because the columns before it are the ones most likely
    /// taken.
    fn place_ties_greedily(&mut self) {
        place_ties_greedily(
            self.c,
            self.cols,
            &mut self.x,
            &mut self.y,
            &self.v,
            &mut self.free,
            &self.row_floor,
        );
    }

    /// Augmenting row reduction, twice. It is a heuristic (the augmentation phase is
    /// what guarantees optimality), so its chains of displaced rows get a work budget:
    /// with wide cost ranges, rows can otherwise outbid each other for a long time.
    fn augmenting_row_reduction(&mut self) {
        augmenting_row_reduction(
            self.c,
            self.cols,
            &mut self.x,
            &mut self.y,
            &mut self.v,
            &mut self.free,
            self.tops,
        );
    }

    /// Shortest augmenting paths for the rows still free. On square matrices the work
    /// is budgeted: a few cost families (Machol–Wien `i·j` is the classic one) make
    /// every augmenting path long, and there ε-scaling auction prices followed by the
    /// same exact augmentation are far faster. The budget is counted in column visits,
    /// not time, so the choice — and the result — is the same on every run.
    fn shortest_augmenting_paths(&mut self, auction_min_n: usize, auction_budget: u64) {
        let (rows, cols) = (self.rows, self.cols);
        let budget =
            (rows == cols && rows >= auction_min_n).then(|| auction_budget * (cols * cols) as u64);
        let free = std::mem::take(&mut self.free);
        if augment(
            self.c,
            cols,
            &free,
            &mut self.x,
            &mut self.y,
            &mut self.v,
            budget,
        )
        .is_err()
        {
            // Restart from auction prices when the costs allow them, else go on from
            // where the budget ran out; either way without a budget.
            let all: Vec<u32>;
            let rows_to_add = match auction_prices(rows, self.c) {
                Some(prices) => {
                    self.x.fill(FREE);
                    self.y.fill(FREE);
                    for (vj, &p) in self.v.iter_mut().zip(&prices) {
                        *vj = T::from_i64(p);
                    }
                    all = (0..rows as u32).collect();
                    &all
                }
                None => &free,
            };
            augment(
                self.c,
                cols,
                rows_to_add,
                &mut self.x,
                &mut self.y,
                &mut self.v,
                None,
            )
            .ok()
            .expect("no budget, no early stop");
        }
    }
}

/// Reduction transfer: a row assigned once (`matches[i] == 1`) hands its slack to its
/// column. Rows assigned no column are pushed on `free`; rows the column reduction
/// assigned more than once keep one column (the others were left free), so they are
/// not free.
fn reduction_transfer<T: Num>(
    c: &[T],
    cols: usize,
    matches: &[u32],
    x: &[u32],
    v: &mut [T],
    free: &mut Vec<u32>,
) {
    for (i, &times) in matches.iter().enumerate() {
        let row = &c[i * cols..(i + 1) * cols];
        if times == 0 {
            free.push(i as u32);
        } else if times == 1 {
            let j1 = x[i] as usize;
            let mut min = T::HUGE;
            for (j, &cij) in row.iter().enumerate() {
                if j != j1 && cij - v[j] < min {
                    min = cij - v[j];
                }
            }
            // Lower the column's price until its reduced cost in row i equals the row's
            // second best.
            v[j1] = row[j1] - min;
        }
    }
}

/// [`Jv::place_ties_greedily`] over slices.
fn place_ties_greedily<T: Num>(
    c: &[T],
    cols: usize,
    x: &mut [u32],
    y: &mut [u32],
    v: &[T],
    free: &mut Vec<u32>,
    row_floor: &[T],
) {
    let mut start = 0usize;
    free.retain(|&i| {
        let r = &c[i as usize * cols..(i as usize + 1) * cols];
        let floor = row_floor.get(i as usize).copied().unwrap_or(T::ZERO);
        for j in (start..cols).chain(0..start) {
            if y[j] == FREE && r[j] - v[j] == floor {
                x[i as usize] = j as u32;
                y[j] = i;
                start = j + 1;
                return false;
            }
        }
        true
    });
}

/// [`Jv::augmenting_row_reduction`] over slices.
fn augmenting_row_reduction<T: Num>(
    c: &[T],
    cols: usize,
    x: &mut [u32],
    y: &mut [u32],
    v: &mut [T],
    free: &mut Vec<u32>,
    tops: &[Top<T>],
) {
    let row = |i: usize| &c[i * cols..(i + 1) * cols];
    let free_before = free.len();
    // Prices only fall here, so a row's reduced costs only rise: its bid found at zero
    // prices stands while neither of its two columns has been lowered.
    let mut lowered = vec![false; if tops.is_empty() { 0 } else { cols }];
    for pass in 0..2 {
        // When the first pass frees almost nobody (typical of heavy ties, where rows
        // only trade columns), a second pass would not either.
        if pass == 1 && free.len() * 10 > free_before * 9 {
            break;
        }
        let mut budget = 8 * cols + 64;
        let mut k = 0;
        let mut queue = std::mem::take(free);
        while k < queue.len() {
            let i = queue[k] as usize;
            k += 1;
            let known = tops
                .get(i)
                .filter(|t| !lowered[t.first as usize] && !lowered[t.next as usize]);
            let top = known.copied().unwrap_or_else(|| bid(row(i), v));
            let (umin, mut j1, usub, j2) =
                (top.least, top.first as usize, top.second, top.next as usize);
            let mut i0 = y[j1];
            let price = v[j1] - (usub - umin);
            let strict = umin < usub && price < v[j1];
            if strict {
                v[j1] = price;
                if let Some(l) = lowered.get_mut(j1) {
                    *l = true;
                }
            } else if i0 != FREE {
                // Minimum and second minimum tie: take the second column, which may
                // be free.
                j1 = j2;
                i0 = y[j2];
            }
            x[i] = j1 as u32;
            y[j1] = i as u32;
            if i0 != FREE {
                x[i0 as usize] = FREE;
                if strict && budget > 0 {
                    // Continue the augmenting path with the row just displaced.
                    budget -= 1;
                    k -= 1;
                    queue[k] = i0;
                } else {
                    free.push(i0);
                }
            }
        }
    }
}

/// A row's bid: the [`Top`] of its reduced costs `r[j] − v[j]`.
fn bid<T: Num>(r: &[T], v: &[T]) -> Top<T> {
    let mut top = Top::start(r[0] - v[0]);
    for j in 1..r.len() {
        top.offer(j, r[j] - v[j]);
    }
    top
}

/// Square matrices from this size on may switch to auction prices.
pub(super) const AUCTION_MIN_N: usize = 256;

/// Column visits allowed to the augmentation phase, in units of `n²`, before switching:
/// far above what random families use, far below what ordered ones (Machol–Wien) do.
pub(super) const AUCTION_BUDGET: u64 = 150;

/// The augmentation phase: a shortest augmenting path for each row of `free` that is
/// still unassigned. `Err(OverBudget)` when `budget` column visits were exceeded; the
/// state is then a valid partial assignment with feasible prices, but the caller
/// restarts.
fn augment<T: Num>(
    c: &[T],
    cols: usize,
    free: &[u32],
    x: &mut [u32],
    y: &mut [u32],
    v: &mut [T],
    budget: Option<u64>,
) -> std::result::Result<(), OverBudget> {
    let rows = x.len();
    debug_assert!(rows <= cols);
    let row = |i: usize| &c[i * cols..(i + 1) * cols];
    let mut work: u64 = 0;
    let mut done: u64 = 0;
    // The work counter after each of the last 16 augmentations.
    let mut window = [0u64; 16];
    let mut d = vec![T::ZERO; cols];
    let mut pred = vec![0u32; cols];
    let mut collist: Vec<u32> = (0..cols as u32).collect();
    for &f in free {
        let f = f as usize;
        if x[f] != FREE {
            continue;
        }
        let rf = row(f);
        for j in 0..cols {
            d[j] = rf[j] - v[j];
            pred[j] = f as u32;
            collist[j] = j as u32;
        }
        // collist[..low] are ready, [low..up] are at the current minimum, [up..] unscanned.
        let (mut low, mut up) = (0usize, 0usize);
        let mut last = 0usize;
        let mut min = T::ZERO;
        let end: usize = 'search: loop {
            if up == low {
                last = low;
                min = d[collist[up] as usize];
                up += 1;
                // `up` grows inside the loop; the scan still covers the columns that were
                // unscanned when it started.
                let first = up;
                for k in first..cols {
                    let j = collist[k] as usize;
                    let h = d[j];
                    if h <= min {
                        if h < min {
                            up = low;
                            min = h;
                        }
                        collist[k] = collist[up];
                        collist[up] = j as u32;
                        up += 1;
                    }
                }
                for &j in &collist[low..up] {
                    if y[j as usize] == FREE {
                        break 'search j as usize;
                    }
                }
            }
            // Scan the next column at the minimum: relax through its row.
            let j1 = collist[low] as usize;
            low += 1;
            let i = y[j1] as usize;
            let ri = row(i);
            let h = ri[j1] - v[j1] - min;
            work += (cols - up) as u64;
            let mut k = up;
            while k < cols {
                let j = collist[k] as usize;
                let v2 = ri[j] - v[j] - h;
                if v2 < d[j] {
                    pred[j] = i as u32;
                    if v2 == min {
                        if y[j] == FREE {
                            break 'search j;
                        }
                        collist[k] = collist[up];
                        collist[up] = j as u32;
                        up += 1;
                    }
                    d[j] = v2;
                }
                k += 1;
            }
        };
        // Update the prices of the columns made ready before the final minimum.
        for &j in &collist[..last] {
            let j = j as usize;
            v[j] = v[j] + d[j] - min;
        }
        // Augment along the alternating path back to the free row.
        let mut j = end;
        loop {
            let i = pred[j] as usize;
            y[j] = i as u32;
            let next = x[i];
            x[i] = j as u32;
            if i == f {
                break;
            }
            j = next as usize;
        }
        // Stop when over budget, or when the paths so far project past it. Two
        // projections: the mean path so far for every row (the first 16 are a fair
        // sample, and later ones are rarely cheaper), and the last 16 paths' mean for
        // the rows still to come, which catches costs that grow row by row (the k-th
        // path of Machol–Wien scans about k rows) twice as early.
        let slot = (done % 16) as usize;
        done += 1;
        let recent = work - std::mem::replace(&mut window[slot], work);
        if let Some(b) = budget
            && done >= 16
        {
            let total = free.len() as u64;
            let by_mean = work / done * total;
            let by_recent = work.saturating_add(recent / 16 * total.saturating_sub(done));
            if work > b || by_mean.max(by_recent) > b {
                return Err(OverBudget);
            }
        }
    }
    Ok(())
}

/// The augmentation phase ran past its budget of column visits.
struct OverBudget;

pub(super) fn row_duals<T: Num>(cols: usize, c: &[T], x: &[u32], v: &[T]) -> Vec<T> {
    x.iter()
        .enumerate()
        .map(|(i, &j)| {
            // A row left free (by a faulty start-up) gets 0; the check rejects it.
            let j = j as usize;
            if j < cols {
                c[i * cols + j] - v[j]
            } else {
                T::ZERO
            }
        })
        .collect()
}

/// A JV result in the caller's orientation: `(row_to_col, row duals, col duals)` in
/// min-form arithmetic type `T`.
pub(super) struct Oriented<T> {
    pub(super) row_to_col: Vec<Option<usize>>,
    pub(super) row_duals: Vec<T>,
    pub(super) col_duals: Vec<T>,
}

/// A solver of complete min-form problems with no more rows than columns: row →
/// column and the column prices.
pub(super) type Solver<T> = fn(usize, usize, &[T]) -> (Vec<u32>, Vec<T>);

/// [`jv`] as a [`Solver`].
pub(super) fn jv_prices<T: Num>(rows: usize, cols: usize, c: &[T]) -> (Vec<u32>, Vec<T>) {
    let (x, _, v) = jv(rows, cols, c);
    (x, v)
}

/// Runs JV on a complete min-form matrix in any orientation.
pub(super) fn jv_oriented<T: Num>(rows: usize, cols: usize, c: &[T]) -> Oriented<T> {
    oriented(rows, cols, c, jv_prices)
}

/// Runs `solver` (JV, or the Hungarian fallback: row → column and column prices of a
/// problem with no more rows than columns) on a complete min-form matrix in any
/// orientation, transposing a tall one.
pub(super) fn oriented<T: Num>(
    rows: usize,
    cols: usize,
    c: &[T],
    solver: Solver<T>,
) -> Oriented<T> {
    if rows <= cols {
        let (x, v) = solver(rows, cols, c);
        upright(cols, c, &x, v)
    } else {
        let t = transpose_map(rows, cols, c, T::ZERO, |x| x);
        transposed(rows, cols, &t, solver)
    }
}

/// The answer `x` (row → column) and column prices `v` of JV on a problem with no more
/// rows than columns, in the caller's orientation.
pub(super) fn upright<T: Num>(cols: usize, c: &[T], x: &[u32], v: Vec<T>) -> Oriented<T> {
    Oriented {
        row_to_col: x
            .iter()
            .map(|&j| (j != FREE).then_some(j as usize))
            .collect(),
        row_duals: row_duals(cols, c, x, &v),
        col_duals: v,
    }
}

/// Runs `solver` on a tall `rows × cols` problem given as its `cols × rows` transpose
/// `t`, and turns the answer back to the caller's orientation.
pub(super) fn transposed<T: Num>(
    rows: usize,
    cols: usize,
    t: &[T],
    solver: Solver<T>,
) -> Oriented<T> {
    debug_assert!(rows > cols && t.len() == rows * cols);
    let (x, v) = solver(cols, rows, t);
    let u = row_duals(rows, t, &x, &v);
    let mut row_to_col = vec![None; rows];
    for (j, &i) in x.iter().enumerate() {
        if i != FREE {
            row_to_col[i as usize] = Some(j);
        }
    }
    Oriented {
        row_to_col,
        row_duals: v,
        col_duals: u,
    }
}
