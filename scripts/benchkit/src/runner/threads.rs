//! Threads started together: spawned, set up, optionally pinned to a CPU each, and released at
//! once behind a [`Barrier`], so that no thread's measured work starts before every other
//! thread is ready to compete with it.

use std::sync::{Barrier, OnceLock};
use std::time::{Duration, Instant};

/// Whether to pin the threads of a group to CPUs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pin {
    /// Leave placement to the scheduler.
    None,
    /// Thread `i` runs only on the `i`-th CPU the caller may run on ([`allowed_cpus`]),
    /// wrapping around when there are more threads than CPUs.
    Spread,
}

/// The CPUs the calling thread may run on (its affinity mask, which threads it spawns
/// inherit), ascending; empty where the mask cannot be read (or outside Linux).
pub fn allowed_cpus() -> Vec<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `cpu_set_t` is an array of integers, for which all-zero bits are a valid
        // value (the empty set).
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: pid 0 names the calling thread; the pointer is to `set`, a live local of
        // exactly the size passed, which the kernel writes at most that much of.
        let r =
            unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
        if r != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize)
            // SAFETY: `c` is below CPU_SETSIZE, the number of bits `set` holds, so the bit
            // CPU_ISSET reads is inside `set`.
            .filter(|&c| unsafe { libc::CPU_ISSET(c, &set) })
            .collect()
    }
    #[cfg(not(target_os = "linux"))]
    {
        Vec::new()
    }
}

/// The largest CPU index a pinning request can name (one below `CPU_SETSIZE` on Linux).
pub fn max_cpu() -> usize {
    #[cfg(target_os = "linux")]
    {
        libc::CPU_SETSIZE as usize - 1
    }
    #[cfg(not(target_os = "linux"))]
    {
        usize::MAX
    }
}

/// Pins the calling thread to `cpu` with `sched_setaffinity`; returns whether the kernel
/// accepted it (it refuses a CPU outside the process's allowed set, and containers may refuse
/// any change). Outside Linux nothing is pinned and the answer is `false`.
///
/// # Panics
/// When `cpu` is above [`max_cpu`]: no CPU set can name it.
pub fn pin_current_thread(cpu: usize) -> bool {
    assert!(
        cpu <= max_cpu(),
        "CPU {cpu} is beyond the {} CPUs a cpu_set_t can name",
        max_cpu().saturating_add(1)
    );
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `cpu_set_t` is an array of integers, for which all-zero bits are a valid
        // value (the empty set).
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: `cpu` is at most `max_cpu()`, below CPU_SETSIZE (checked above), so the bit
        // CPU_SET writes is inside `set`.
        unsafe { libc::CPU_SET(cpu, &mut set) };
        // SAFETY: pid 0 names the calling thread; the pointer is to `set`, a live local of
        // exactly the size passed, which the kernel only reads.
        unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Lowers the calling thread's timer slack to 1 ns, so that its timed sleeps end when asked
/// rather than up to 50 µs later (Linux's default slack for normal threads); returns whether
/// the kernel accepted it. A load generator that sleeps until each request's intended send time
/// needs this to keep its schedule.
pub fn tight_timer_slack() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_TIMERSLACK takes a number and changes only the calling thread's timer
        // slack; no memory is passed to the kernel.
        unsafe { libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// What a thread of a group learns when it is released.
#[derive(Clone, Copy, Debug)]
pub struct Started {
    /// The thread's index in its group, `0..threads`.
    pub index: usize,
    /// When the group was released: the same instant for every thread of the group.
    pub t0: Instant,
    /// The CPU the thread is pinned to, when it asked to be and the kernel accepted.
    pub cpu: Option<usize>,
}

/// What a group of threads returned.
#[derive(Debug)]
pub struct Group<T> {
    /// Each thread's result, by index.
    pub results: Vec<T>,
    /// Whether each thread was pinned to a CPU (all `false` under [`Pin::None`]).
    pub pinned: Vec<bool>,
    /// From the release to the end of the last thread.
    pub elapsed: Duration,
}

impl<T> Group<T> {
    /// Whether pinning was asked for and applied to every thread.
    pub fn all_pinned(&self) -> bool {
        !self.pinned.is_empty() && self.pinned.iter().all(|&p| p)
    }
}

/// Runs `threads` threads: each runs `setup(index)` (untimed: allocate its state, open its
/// connection), is pinned if `pin` asks, then waits at one [`Barrier`] with the others and the
/// caller; once all have arrived they are released together and each runs
/// `work(&started, state)`. Returns every thread's result once all have finished.
///
/// A thread that cannot be spawned (the system is out of threads) releases the ones already
/// waiting without running their work, and then this panics; a panic in any thread's set-up or
/// work is passed on to the caller once every thread has ended. None of these can leave a
/// thread waiting at the barrier forever.
///
/// # Panics
/// When `threads` is zero, when a thread cannot be spawned, or when a thread panics.
pub fn spawn<S, T, F, W>(threads: usize, pin: Pin, setup: F, work: W) -> Group<T>
where
    T: Send,
    F: Fn(usize) -> S + Sync,
    W: Fn(&Started, S) -> T + Sync,
{
    assert!(threads > 0, "a group of at least one thread");
    let cpus = match pin {
        Pin::None => Vec::new(),
        Pin::Spread => allowed_cpus(),
    };
    // The barrier is made once the number of threads that exist is known, so that a failed
    // spawn cannot leave the others waiting for a thread that never arrives.
    let gate: OnceLock<Barrier> = OnceLock::new();
    let t0: OnceLock<Instant> = OnceLock::new();
    let abandoned = std::sync::atomic::AtomicBool::new(false);
    let (setup, work) = (&setup, &work);
    std::thread::scope(|s| {
        let mut handles = Vec::with_capacity(threads);
        let mut spawn_error = None;
        for index in 0..threads {
            let cpu = (!cpus.is_empty()).then(|| cpus[index % cpus.len()]);
            let (gate, t0, abandoned) = (&gate, &t0, &abandoned);
            let spawned = std::thread::Builder::new()
                .name(format!("runner-{index}"))
                .spawn_scoped(s, move || {
                    // A set-up that panics still arrives at the barrier, so that the others
                    // are released; its panic is passed on after.
                    let state =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| setup(index)));
                    let pinned = state.is_ok() && cpu.is_some_and(pin_current_thread);
                    gate.wait().wait();
                    let state = state.unwrap_or_else(|p| std::panic::resume_unwind(p));
                    if abandoned.load(std::sync::atomic::Ordering::Relaxed) {
                        return None;
                    }
                    let t0 = *t0.get_or_init(Instant::now);
                    let started = Started {
                        index,
                        t0,
                        cpu: cpu.filter(|_| pinned),
                    };
                    Some((work(&started, state), pinned))
                });
            match spawned {
                Ok(h) => handles.push(h),
                Err(e) => {
                    spawn_error = Some(e);
                    break;
                }
            }
        }
        if spawn_error.is_some() {
            // Written before the barrier releases anyone, so every thread sees it after.
            abandoned.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let barrier = gate.get_or_init(|| Barrier::new(handles.len() + 1));
        barrier.wait();
        let mut results = Vec::with_capacity(handles.len());
        let mut pinned = Vec::with_capacity(handles.len());
        let mut panic = None;
        for h in handles {
            match h.join() {
                Ok(Some((r, p))) => {
                    results.push(r);
                    pinned.push(p);
                }
                Ok(None) => {}
                Err(payload) => panic = panic.or(Some(payload)),
            }
        }
        if let Some(payload) = panic {
            std::panic::resume_unwind(payload);
        }
        if let Some(e) = spawn_error {
            panic!("cannot spawn thread {} of {threads}: {e}", results.len());
        }
        let elapsed = t0.get().map_or(Duration::ZERO, Instant::elapsed);
        Group {
            results,
            pinned,
            elapsed,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn no_thread_works_before_every_thread_is_set_up() {
        for threads in [1, 2, 5, 9] {
            let ready = AtomicUsize::new(0);
            let g = spawn(
                threads,
                Pin::None,
                |_| ready.fetch_add(1, Ordering::SeqCst),
                |s, _| (s.index, s.t0, ready.load(Ordering::SeqCst)),
            );
            assert_eq!(g.results.len(), threads);
            let t0 = g.results[0].1;
            for (i, &(index, t, seen)) in g.results.iter().enumerate() {
                assert_eq!(index, i, "results come back by index");
                assert_eq!(t, t0, "every thread shares the release instant");
                assert_eq!(seen, threads, "thread {i} started before all were ready");
            }
            assert!(!g.all_pinned(), "nothing was asked to be pinned");
        }
    }

    #[test]
    fn spread_pins_each_thread_to_an_allowed_cpu() {
        let allowed = allowed_cpus();
        let g = spawn(3, Pin::Spread, |_| (), |s, ()| (s.cpu, allowed_cpus()));
        assert_eq!(g.pinned.len(), 3);
        for (i, (cpu, mask)) in g.results.iter().enumerate() {
            if g.pinned[i] {
                let cpu = cpu.expect("a pinned thread knows its CPU");
                assert_eq!(cpu, allowed[i % allowed.len()]);
                assert_eq!(mask, &vec![cpu], "the thread's own mask is its one CPU");
            } else {
                assert_eq!(*cpu, None);
            }
        }
        // Pinning a thread changes only that thread: the caller's mask is untouched.
        assert_eq!(allowed_cpus(), allowed);
    }

    #[test]
    fn a_panicking_thread_is_passed_on_after_the_others_end() {
        let finished = AtomicUsize::new(0);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            spawn(
                4,
                Pin::None,
                |_| (),
                |s, ()| {
                    if s.index == 2 {
                        panic!("thread two fails");
                    }
                    finished.fetch_add(1, Ordering::SeqCst);
                },
            )
        }));
        assert!(r.is_err());
        assert_eq!(finished.load(Ordering::SeqCst), 3);
    }

    #[test]
    #[should_panic(expected = "beyond the")]
    fn a_cpu_no_set_can_name_is_refused() {
        pin_current_thread(usize::MAX);
    }
}
