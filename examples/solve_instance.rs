//! Solves one assignment instance file and reports the solve time alone.
//!
//! ```text
//! cargo run --release --example solve_instance -- FILE [--repeat N]
//! ```
//!
//! Prints one JSON object per repetition on stdout:
//! `{"objective": ..., "assigned": ..., "solve_seconds": ...}`. Reading and parsing the
//! file are not timed; only the call to the solver is. This is the peermatch side of
//! the comparison harness `benches/compare.py`.
//!
//! # Instance file format (version 1, plain text, whitespace-separated)
//!
//! A dense instance:
//! ```text
//! peermatch-instance 1 dense ROWS COLS
//! c(0,0) c(0,1) ... c(0,COLS-1)
//! ...                                   (ROWS lines of COLS integers)
//! ```
//! solved as a minimising rectangular assignment (`assign::solve_dense`).
//!
//! A sparse capacitated instance:
//! ```text
//! peermatch-instance 1 sparse ROWS COLS
//! cap(0) cap(1) ... cap(COLS-1)
//! K col cost col cost ...               (ROWS lines: K arcs, then K column/cost pairs)
//! ```
//! solved as a min-cost maximum flow (`assign::min_cost_max_flow`): as many rows
//! assigned as the capacities allow, then least total cost. The objective printed is
//! that cost; `assigned` counts assigned rows.

use std::process::ExitCode;
use std::time::Instant;

use peermatch::assign::{CapacitatedProblem, Matrix, Sense, min_cost_max_flow, solve_dense};

enum Instance {
    Dense(Matrix<i64>),
    Sparse(CapacitatedProblem<i64>),
}

fn parse(text: &str) -> Result<Instance, String> {
    let mut words = text.split_ascii_whitespace();
    let mut next = |what: &str| words.next().ok_or_else(|| format!("missing {what}"));
    if next("header")? != "peermatch-instance" || next("version")? != "1" {
        return Err("not a peermatch-instance version 1 file".into());
    }
    let kind = next("kind")?.to_owned();
    let mut number = |what: &str| -> Result<i64, String> {
        next(what)?
            .parse::<i64>()
            .map_err(|e| format!("{what}: {e}"))
    };
    let rows = usize::try_from(number("rows")?).map_err(|e| e.to_string())?;
    let cols = usize::try_from(number("cols")?).map_err(|e| e.to_string())?;
    match kind.as_str() {
        "dense" => {
            let mut data = Vec::with_capacity(rows * cols);
            for _ in 0..rows * cols {
                data.push(number("cost")?);
            }
            Ok(Instance::Dense(
                Matrix::new(rows, cols, data).map_err(|e| e.to_string())?,
            ))
        }
        "sparse" => {
            let mut capacity = Vec::with_capacity(cols);
            for _ in 0..cols {
                capacity.push(u32::try_from(number("capacity")?).map_err(|e| e.to_string())?);
            }
            let mut problem = CapacitatedProblem::new(capacity);
            for _ in 0..rows {
                let k = number("arc count")?;
                let mut arcs = Vec::with_capacity(k as usize);
                for _ in 0..k {
                    let col = usize::try_from(number("column")?).map_err(|e| e.to_string())?;
                    arcs.push((col, number("cost")?));
                }
                problem.add_row(Some(0), arcs).map_err(|e| e.to_string())?;
            }
            Ok(Instance::Sparse(problem))
        }
        other => Err(format!("unknown instance kind `{other}`")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (file, repeat) = match args.as_slice() {
        [file] => (file, 1),
        [file, flag, n] if flag == "--repeat" => match n.parse::<usize>() {
            Ok(n) if n > 0 => (file, n),
            _ => {
                eprintln!("solve_instance: --repeat takes a positive integer");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: solve_instance FILE [--repeat N]");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("solve_instance: cannot read {file}: {e}");
            return ExitCode::from(1);
        }
    };
    let instance = match parse(&text) {
        Ok(instance) => instance,
        Err(e) => {
            eprintln!("solve_instance: {file}: {e}");
            return ExitCode::from(1);
        }
    };
    for _ in 0..repeat {
        let start = Instant::now();
        let result = match &instance {
            Instance::Dense(m) => solve_dense(m, Sense::Minimize).map(|s| {
                let assigned = s.row_to_col.iter().flatten().count();
                (s.objective, assigned)
            }),
            Instance::Sparse(p) => min_cost_max_flow(p, |_, _| 0).map(|s| {
                let assigned = s.row_to_col.iter().flatten().count();
                (i128::from(s.cost.minor), assigned)
            }),
        };
        let seconds = start.elapsed().as_secs_f64();
        match result {
            Ok((objective, assigned)) => println!(
                "{{\"objective\": {objective}, \"assigned\": {assigned}, \"solve_seconds\": {seconds:.6}}}"
            ),
            Err(e) => {
                eprintln!("solve_instance: {e}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}
