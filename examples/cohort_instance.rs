//! Writes the candidate network of a seeded synthetic cohort as a sparse instance file
//! (the format of the `solve_instance` example), so that the comparison harness
//! `benches/compare.py` can time other solvers on the structure the matcher meets.
//!
//! ```text
//! cargo run --release --example cohort_instance -- RECIPIENTSxMENTORS K FILE [--seed N]
//! ```
//!
//! Rows are the recipients of `peermatch::synth::generate` (seed 1 unless given), each
//! with its best `K` eligible mentors by score (ties to the earlier mentor) at cost
//! `10⁶ − score` in micro-units; columns are the mentors, with capacity `capacity −
//! current_load`. Solved as a min-cost maximum flow, this is the first pruned round of
//! the matcher without urgency tiers and load penalties: as many people placed as
//! possible, then the best total score.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use peermatch::EligiblePairs;
use peermatch::synth::{self, SynthOptions};

fn run(args: &[String]) -> Result<(), String> {
    let usage = "usage: cohort_instance RECIPIENTSxMENTORS K FILE [--seed N]";
    let [size, k, file, rest @ ..] = args else {
        return Err(usage.into());
    };
    let (recipients, mentors) = size
        .split_once('x')
        .and_then(|(r, m)| Some((r.parse().ok()?, m.parse().ok()?)))
        .ok_or(usage)?;
    let k: usize = k.parse().map_err(|_| usage)?;
    let seed = match rest {
        [] => 1,
        [flag, n] if flag == "--seed" => n.parse().map_err(|_| usage)?,
        _ => return Err(usage.into()),
    };
    let options = SynthOptions {
        recipients,
        mentors,
        seed,
        ..SynthOptions::default()
    };
    let cohort = synth::generate(&options).map_err(|e| e.to_string())?;
    let pairs = EligiblePairs::new(&cohort);
    let out = std::fs::File::create(file).map_err(|e| format!("{file}: {e}"))?;
    let mut out = BufWriter::new(out);
    let io = |e: std::io::Error| format!("{file}: {e}");
    writeln!(out, "peermatch-instance 1 sparse {recipients} {mentors}").map_err(io)?;
    let caps: Vec<String> = cohort
        .mentors()
        .iter()
        .map(|m| (m.capacity - m.current_load).to_string())
        .collect();
    writeln!(out, "{}", caps.join(" ")).map_err(io)?;
    for r in 0..recipients {
        let mut best: Vec<(usize, i64)> = pairs
            .of(r)
            .map(|(m, score)| (m, (score * 1e6).round() as i64))
            .collect();
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(k);
        write!(out, "{}", best.len()).map_err(io)?;
        for (m, score) in best {
            write!(out, " {m} {}", 1_000_000 - score).map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    out.flush().map_err(io)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}
