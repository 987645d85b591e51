//! Atomics and wake-ups: what one `fetch_add` costs alone and with another core adding to the
//! same line, how long a cache line takes to travel from one core to the other, and how long a
//! parked thread takes to run after another unparks it.

use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bookproto::card::{Better, Entry};

use crate::stats::best_of;
use crate::{Budget, allowed_cpus, pin};

/// Nanoseconds per `fetch_add` by one thread on a line no other core touches.
pub fn uncontended_add(ops: u64) -> f64 {
    let x = AtomicU64::new(0);
    let t = Instant::now();
    for _ in 0..ops {
        // Relaxed: the count is the only thing shared, and nothing is published through it.
        black_box(&x).fetch_add(1, Ordering::Relaxed);
    }
    let ns = t.elapsed().as_nanos() as f64 / ops as f64;
    assert_eq!(x.load(Ordering::Relaxed), ops);
    ns
}

/// Nanoseconds per `fetch_add` of each of two threads, pinned to two CPUs, adding to the
/// same line at once.
pub fn contended_add(ops: u64, cpus: [usize; 2]) -> f64 {
    let x = AtomicU64::new(0);
    let barrier = Barrier::new(2);
    let elapsed = std::thread::scope(|s| {
        let hs: Vec<_> = cpus
            .iter()
            .map(|&cpu| {
                let (x, barrier) = (&x, &barrier);
                s.spawn(move || {
                    pin(cpu);
                    barrier.wait();
                    let t = Instant::now();
                    for _ in 0..ops {
                        // Relaxed, as in `uncontended_add`; the join below orders the final load.
                        x.fetch_add(1, Ordering::Relaxed);
                    }
                    t.elapsed().as_nanos() as f64
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("an adding thread panicked"))
            .fold(0.0, f64::max)
    });
    assert_eq!(x.load(Ordering::Relaxed), 2 * ops);
    elapsed / ops as f64
}

/// Nanoseconds for one hand-off of a cache line between two cores: two threads take turns
/// writing a counter, each spinning until the other's write arrives; half a round trip.
pub fn handoff(trips: u64, cpus: [usize; 2]) -> f64 {
    let turn = AtomicU64::new(0);
    let barrier = Barrier::new(2);
    let elapsed = std::thread::scope(|s| {
        let player = |me: u64, cpu: usize| {
            let (turn, barrier) = (&turn, &barrier);
            move || {
                pin(cpu);
                barrier.wait();
                let t = Instant::now();
                for i in 0..trips {
                    let mine = 2 * i + me;
                    // Acquire pairs with the other thread's Release store of `mine`: this
                    // thread's next write follows the other's, so the turns never overlap.
                    while turn.load(Ordering::Acquire) != mine {
                        std::hint::spin_loop();
                    }
                    turn.store(mine + 1, Ordering::Release);
                }
                t.elapsed().as_nanos() as f64
            }
        };
        let a = s.spawn(player(0, cpus[0]));
        let b = s.spawn(player(1, cpus[1]));
        let (a, b) = (a.join(), b.join());
        a.expect("a hand-off thread panicked")
            .max(b.expect("a hand-off thread panicked"))
    });
    assert_eq!(turn.load(Ordering::Relaxed), 2 * trips);
    elapsed / (2 * trips) as f64
}

/// Nanoseconds from one thread's `unpark` to the parked other running, half of a round trip
/// in which each thread wakes the other and parks.
pub fn wake(trips: u64, cpus: [usize; 2]) -> f64 {
    let turn = AtomicU64::new(0);
    let barrier = Barrier::new(2);
    let (tx, rx) = std::sync::mpsc::channel::<std::thread::Thread>();
    let elapsed = std::thread::scope(|s| {
        let (turn_b, barrier_b) = (&turn, &barrier);
        let b = s.spawn(move || {
            pin(cpus[1]);
            let a = rx.recv().expect("the other thread's handle");
            barrier_b.wait();
            for i in 0..trips {
                // Acquire pairs with A's Release store of 2i + 1, as in `handoff`; parking
                // may wake spuriously, so the loop re-checks.
                while turn_b.load(Ordering::Acquire) != 2 * i + 1 {
                    std::thread::park();
                }
                turn_b.store(2 * i + 2, Ordering::Release);
                a.unpark();
            }
        });
        pin(cpus[0]);
        tx.send(std::thread::current())
            .expect("the other thread is waiting");
        barrier.wait();
        let t = Instant::now();
        for i in 0..trips {
            turn.store(2 * i + 1, Ordering::Release);
            b.thread().unpark();
            // Acquire pairs with B's Release store of 2i + 2.
            while turn.load(Ordering::Acquire) != 2 * i + 2 {
                std::thread::park();
            }
        }
        let ns = t.elapsed().as_nanos() as f64;
        b.join().expect("the woken thread panicked");
        ns
    });
    elapsed / (2 * trips) as f64
}

/// The atomics and wake-ups of the card. The two-thread ones need two CPUs; with one they are
/// left out.
pub fn all(b: &Budget) -> Vec<Entry> {
    let runs = |f: &mut dyn FnMut() -> f64| -> Vec<f64> { (0..b.sync_runs).map(|_| f()).collect() };
    let mut out = vec![best_of(
        "atomic/add/uncontended",
        "fetch_add, one thread, its own line",
        "ns",
        Better::Lower,
        &runs(&mut || uncontended_add(b.atomic_ops)),
    )];
    let cpus = allowed_cpus();
    if cpus.len() >= 2 {
        let pair = [cpus[0], cpus[1]];
        out.push(best_of(
            "atomic/add/contended",
            "fetch_add, two threads on two CPUs, one line, per add of each",
            "ns",
            Better::Lower,
            &runs(&mut || contended_add(b.atomic_ops / 2, pair)),
        ));
        out.push(best_of(
            "wake/line/handoff",
            "a cache line handed from one core to the other (spinning)",
            "ns",
            Better::Lower,
            &runs(&mut || handoff(b.pingpong_trips, pair)),
        ));
        out.push(best_of(
            "wake/park/unpark",
            "unpark to the parked thread running, on the other CPU",
            "ns",
            Better::Lower,
            &runs(&mut || wake(b.wake_trips, pair)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_measurement_completes_its_operations_and_times_something() {
        let cpus = allowed_cpus();
        let pair = [cpus[0], cpus[cpus.len() - 1]];
        assert!(uncontended_add(1000) > 0.0);
        assert!(contended_add(1000, pair) > 0.0);
        assert!(handoff(100, pair) > 0.0);
        assert!(wake(50, pair) > 0.0);
    }
}
