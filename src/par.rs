//! Ordered parallel work: chunks of an index range handed to threads, results put back
//! in chunk order, so the output never depends on the number of threads or on their
//! scheduling.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to consecutive chunks of `0..n` of `chunk` indices each (the last one
/// shorter), on `threads` threads (0 = one per core), results in chunk order.
pub(crate) fn map_chunks<T: Send>(
    n: usize,
    chunk: usize,
    threads: usize,
    f: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let chunk = chunk.max(1);
    let chunks = n.div_ceil(chunk);
    let range = |c: usize| c * chunk..((c + 1) * chunk).min(n);
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |t| t.get()),
        t => t,
    }
    .min(chunks.max(1));
    if threads <= 1 {
        return (0..chunks).map(|c| f(range(c))).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks {
                            break done;
                        }
                        done.push((c, f(range(c))));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    parts.sort_unstable_by_key(|&(c, _)| c);
    parts.into_iter().map(|(_, part)| part).collect()
}

/// `a` and `b`, on two threads unless `threads` is 1 (0 = one per core, and one
/// when there is one core).
pub(crate) fn join(threads: usize, a: impl FnOnce() + Send, b: impl FnOnce() + Send) {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |t| t.get()),
        t => t,
    };
    if threads <= 1 {
        a();
        b();
        return;
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(a);
        b();
        if let Err(panic) = other.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Like [`map_chunks`], handing chunk `c` the input `inputs[c]` as well (there must be
/// one input per chunk): a way to give each chunk its own `&mut` part of a buffer.
pub(crate) fn map_chunks_with<I: Send, T: Send>(
    n: usize,
    chunk: usize,
    threads: usize,
    inputs: Vec<I>,
    f: impl Fn(Range<usize>, I) -> T + Sync,
) -> Vec<T> {
    let chunk = chunk.max(1);
    assert_eq!(inputs.len(), n.div_ceil(chunk), "one input per chunk");
    let inputs: Vec<Mutex<Option<I>>> = inputs.into_iter().map(|i| Mutex::new(Some(i))).collect();
    map_chunks(n, chunk, threads, |range| {
        let input = inputs[range.start / chunk]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .expect("each chunk runs once");
        f(range, input)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_at_any_thread_count() {
        let expected: Vec<Vec<usize>> = (0..10)
            .map(|c| (c * 7..(c * 7 + 7).min(65)).collect())
            .collect();
        for threads in [0, 1, 2, 3, 16] {
            let got = map_chunks(65, 7, threads, |r| r.collect::<Vec<_>>());
            assert_eq!(got, expected, "{threads} threads");
        }
        assert!(map_chunks(0, 4, 2, |r| r.len()).is_empty());
    }

    #[test]
    fn each_chunk_gets_its_own_input() {
        for threads in [1, 2, 5] {
            let mut buffer = vec![0usize; 23];
            let parts: Vec<&mut [usize]> = buffer.chunks_mut(5).collect();
            let sums = map_chunks_with(23, 5, threads, parts, |range, part| {
                for (slot, i) in part.iter_mut().zip(range.clone()) {
                    *slot = i * 10;
                }
                range.sum::<usize>()
            });
            assert_eq!(sums, [10, 35, 60, 85, 63]);
            assert_eq!(buffer, (0..23).map(|i| i * 10).collect::<Vec<_>>());
        }
    }
}
