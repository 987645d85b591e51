//! Correctness of chapter 04's parts: the case list, the protocol, the server, the workloads
//! and the connection benchkit's load generator drives, the percentiles and Little's-law
//! accounting.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use benchkit::runner::combine;
use benchkit::runner::load::{Latencies, Loop, Trace, exponential};
use ch04::cases::SEED;
use ch04::client::{Workload, body_for, run};
use ch04::experiment::ServerSide;
use ch04::experiment::{Capacity, capacity, load_point, tradeoff_point};
use ch04::protocol::{
    FrameError, MAX_BODY, Request, Response, answer, digest, handle_all, parse_request,
    parse_response,
};
use ch04::server::{STALL, Server, ServerConfig, Stalls, spin_on};
use ch04::stats::{
    hdr_percentiles, histogram, inflight_at, integrated_inflight, little, mm1_mean, mm1_quantile,
    pk_mean, sort_percentiles, sorted_quantile,
};
use inputs::Rng as WyRand;
use proptest::prelude::*;

fn request() -> impl Strategy<Value = Request> {
    (
        any::<u64>(),
        any::<u32>(),
        proptest::collection::vec(any::<u8>(), 0..600),
    )
        .prop_map(|(id, service_ns, body)| Request {
            id,
            service_ns,
            body,
        })
}

proptest! {
    #[test]
    fn requests_round_trip_whole_and_in_pieces(reqs in proptest::collection::vec(request(), 1..8), cut in any::<prop::sample::Index>()) {
        let mut wire = Vec::new();
        for r in &reqs {
            r.encode(&mut wire);
        }
        // Whole: every request, in order, using every byte.
        let mut at = 0;
        let mut back = Vec::new();
        while let Some((r, n)) = parse_request(&wire[at..]).unwrap() {
            back.push(r);
            at += n;
        }
        prop_assert_eq!(at, wire.len());
        prop_assert_eq!(&back, &reqs);
        // A prefix cut anywhere inside the first frame is "not yet", never an error.
        let first_len = {
            let mut one = Vec::new();
            reqs[0].encode(&mut one);
            one.len()
        };
        let cut = cut.index(first_len);
        prop_assert_eq!(parse_request(&wire[..cut]).unwrap(), None);
    }

    #[test]
    fn responses_round_trip(id in any::<u64>(), d in any::<u64>(), cut in 0usize..20) {
        let resp = Response { id, digest: d };
        let mut wire = Vec::new();
        resp.encode(&mut wire);
        prop_assert_eq!(parse_response(&wire).unwrap(), Some((resp, wire.len())));
        prop_assert_eq!(parse_response(&wire[..cut]).unwrap(), None);
    }

    #[test]
    fn handle_all_answers_every_complete_request(reqs in proptest::collection::vec(request(), 0..8), extra in 1usize..10) {
        let mut wire = Vec::new();
        for r in &reqs {
            r.encode(&mut wire);
        }
        let whole = wire.len();
        // A partial frame at the end is left for later.
        Request { id: 7, service_ns: 0, body: vec![1; 16] }.encode(&mut wire);
        wire.truncate(whole + extra);
        let mut out = Vec::new();
        prop_assert_eq!(handle_all(&wire, &mut out).unwrap(), whole);
        let mut expect = Vec::new();
        for r in &reqs {
            answer(r).encode(&mut expect);
        }
        prop_assert_eq!(out, expect);
    }

    #[test]
    fn histogram_percentiles_agree_with_sorting(values in proptest::collection::vec(1u64..5_000_000_000, 1..3000)) {
        let mut h = histogram();
        for &v in &values {
            h.record(v).unwrap();
        }
        let mut sorted = values.clone();
        sorted.sort_unstable();
        for q in [0.001f64, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0] {
            let exact = sorted_quantile(&sorted, q);
            let got = h.value_at_quantile(q);
            // The histogram reports the top of the bucket holding the exact value...
            prop_assert_eq!(got, h.highest_equivalent(exact));
            // ...which is within its precision, three significant digits.
            prop_assert!(got >= exact && (got - exact) as f64 <= exact as f64 * 1e-3, "q {} exact {} got {}", q, exact, got);
        }
        let mut h2 = histogram();
        let mut v2 = values.clone();
        let hdr = hdr_percentiles(&mut h2, &values);
        let sort = sort_percentiles(&mut v2);
        for (a, b) in hdr.iter().zip(&sort) {
            prop_assert_eq!(*a, h2.highest_equivalent(*b));
        }
    }
}

#[test]
fn malformed_lengths_are_errors() {
    let mut wire = ((MAX_BODY + 13) as u32).to_le_bytes().to_vec();
    wire.extend_from_slice(&[0; 16]);
    assert!(matches!(parse_request(&wire), Err(FrameError::TooLong(_))));
    let short = 5u32.to_le_bytes();
    assert!(matches!(
        parse_request(&short),
        Err(FrameError::TooShort(5))
    ));
    let resp = 17u32.to_le_bytes();
    assert!(matches!(
        parse_response(&resp),
        Err(FrameError::TooLong(17))
    ));
}

fn read_responses(stream: &mut TcpStream, n: usize) -> Vec<Response> {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let (mut buf, mut chunk, mut out) = (Vec::new(), [0u8; 4096], Vec::new());
    while out.len() < n {
        let k = stream.read(&mut chunk).expect("the server answers in time");
        assert!(k > 0, "the server closed the connection early");
        buf.extend_from_slice(&chunk[..k]);
        let mut at = 0;
        while let Some((r, used)) = parse_response(&buf[at..]).unwrap() {
            out.push(r);
            at += used;
        }
        buf.drain(..at);
    }
    out
}

#[test]
fn the_server_answers_each_connection_in_order_and_shuts_down() {
    let server = Server::start(ServerConfig::PLAIN).unwrap();
    let mut a = TcpStream::connect(server.addr()).unwrap();
    let mut b = TcpStream::connect(server.addr()).unwrap();
    let reqs: Vec<Request> = (0..50)
        .map(|i| Request {
            id: 1000 + i,
            service_ns: (i as u32 % 5) * 20_000,
            body: body_for(i).to_vec(),
        })
        .collect();
    let mut wire = Vec::new();
    for r in &reqs {
        r.encode(&mut wire);
    }
    // Byte by byte on one connection, all at once on the other.
    for chunk in wire.chunks(7) {
        a.write_all(chunk).unwrap();
    }
    // The clock starts before the second connection's requests leave: its server thread cannot
    // answer them all sooner than their service times add up to, however the threads are
    // scheduled (a clock started after the write could start late, behind the server's
    // real-time threads, and see less).
    let started = Instant::now();
    b.write_all(&wire).unwrap();
    let from_a = read_responses(&mut a, reqs.len());
    let from_b = read_responses(&mut b, reqs.len());
    let expect: Vec<Response> = reqs.iter().map(answer).collect();
    assert_eq!(from_a, expect);
    assert_eq!(from_b, expect);
    // Each connection's requests ask for 2 ms in all; a server that skipped the service
    // time would answer faster.
    let asked: u64 = reqs.iter().map(|r| u64::from(r.service_ns)).sum();
    assert!(started.elapsed() >= Duration::from_nanos(asked));
    assert_eq!(
        server
            .stats()
            .requests
            .load(std::sync::atomic::Ordering::Relaxed),
        100
    );
    // Shutdown with both connections still open must not wait for the clients.
    let t = Instant::now();
    server.shutdown();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    let mut rest = [0u8; 1];
    a.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    assert_eq!(
        a.read(&mut rest).unwrap(),
        0,
        "the server closed the connection"
    );
}

#[test]
fn a_malformed_frame_ends_only_its_connection() {
    let server = Server::start(ServerConfig::PLAIN).unwrap();
    let mut bad = TcpStream::connect(server.addr()).unwrap();
    bad.write_all(&u32::MAX.to_le_bytes()).unwrap();
    let mut rest = [0u8; 1];
    bad.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    assert_eq!(bad.read(&mut rest).unwrap_or(0), 0);
    let mut good = TcpStream::connect(server.addr()).unwrap();
    let req = Request {
        id: 5,
        service_ns: 0,
        body: vec![9; 3],
    };
    let mut wire = Vec::new();
    req.encode(&mut wire);
    good.write_all(&wire).unwrap();
    assert_eq!(read_responses(&mut good, 1), vec![answer(&req)]);
    // The failed connection's thread counts its error just after it closes the socket.
    let errors = &server.stats().errors;
    let t = Instant::now();
    while errors.load(std::sync::atomic::Ordering::Relaxed) == 0
        && t.elapsed() < Duration::from_secs(2)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(errors.load(std::sync::atomic::Ordering::Relaxed), 1);
    server.shutdown();
}

#[test]
fn the_batching_server_serves_what_has_arrived_together() {
    let config = ServerConfig {
        batch_max: 8,
        batch_cost: Duration::from_micros(100),
    };
    let server = Server::start(config).unwrap();
    let mut s = TcpStream::connect(server.addr()).unwrap();
    let reqs: Vec<Request> = (0..32)
        .map(|i| Request {
            id: i,
            service_ns: 1000,
            body: vec![i as u8; 4],
        })
        .collect();
    let mut wire = Vec::new();
    for r in &reqs {
        r.encode(&mut wire);
    }
    s.write_all(&wire).unwrap();
    let got = read_responses(&mut s, reqs.len());
    assert_eq!(got, reqs.iter().map(answer).collect::<Vec<_>>());
    let st = server.stats();
    let batches = st.batches.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        (4..32).contains(&batches),
        "32 requests sent at once in batches of at most 8: {batches}"
    );
    server.shutdown();
}

#[test]
fn poisson_workloads_have_the_asked_rate_and_exponential_gaps() {
    let s = Workload::poisson(5000.0, 20_000, 100_000.0, 3);
    assert_eq!(s.len(), 20_000);
    assert!(s.arrivals.intended_ns.windows(2).all(|w| w[0] <= w[1]));
    let gaps: Vec<f64> = s
        .arrivals
        .intended_ns
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64)
        .collect();
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    let sd = (gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64).sqrt();
    assert!((mean / 200_000.0 - 1.0).abs() < 0.03, "mean gap {mean}");
    // An exponential distribution's standard deviation equals its mean.
    assert!((sd / mean - 1.0).abs() < 0.05, "cv {}", sd / mean);
    let svc = s.service_ns.iter().map(|&x| f64::from(x)).sum::<f64>() / s.len() as f64;
    assert!((svc / 100_000.0 - 1.0).abs() < 0.03, "mean service {svc}");
    // The same seed gives the same schedule.
    assert_eq!(s, Workload::poisson(5000.0, 20_000, 100_000.0, 3));
    let u = Workload::uniform(1000.0, 5, 7);
    assert_eq!(
        u.arrivals
            .intended_ns
            .windows(2)
            .map(|w| w[1] - w[0])
            .collect::<Vec<_>>(),
        vec![1_000_000; 4]
    );
    let mut r = WyRand::new(9);
    assert!((0..1000).all(|_| exponential(&mut r, 1.0).is_finite()));
}

#[test]
fn the_open_loop_sends_on_schedule_and_the_closed_loop_waits() {
    let server = Server::start(ServerConfig::PLAIN).unwrap();
    let sch = Workload::uniform(2000.0, 200, 20_000);
    let t = run(server.addr(), &sch, Loop::Open, Duration::from_secs(10)).unwrap();
    assert_eq!(t.received_ns.len(), 200);
    for i in 0..200 {
        assert!(
            t.sent_ns[i] >= t.intended_ns[i],
            "never before the intended time"
        );
        assert!(t.received_ns[i] > t.sent_ns[i]);
    }
    assert!(t.sent_ns.windows(2).all(|w| w[0] <= w[1]), "sent in order");
    // How far behind schedule requests leave is a measurement (the chapter records the send
    // lag), not something a test can bound on a shared machine; only its sign is checked.
    // The run lasts as long as the schedule, not as long as the requests need back to back.
    let span = t.sent_ns[199] - t.sent_ns[0];
    assert!(span >= 99_000_000, "{span}");

    // Closed loop, one client, back to back: no request leaves before the last is answered.
    let sch = Workload::back_to_back_fixed(100, 10_000);
    let t = run(
        server.addr(),
        &sch,
        Loop::Closed { clients: 1 },
        Duration::from_secs(10),
    )
    .unwrap();
    for i in 1..100 {
        assert!(t.sent_ns[i] >= t.received_ns[i - 1]);
    }
    // Two clients: request i waits for request i - 2 only.
    let t = run(
        server.addr(),
        &sch,
        Loop::Closed { clients: 2 },
        Duration::from_secs(10),
    )
    .unwrap();
    for i in 2..100 {
        assert!(t.sent_ns[i] >= t.received_ns[i - 2]);
    }
    assert!(!t.inflight.is_empty() && t.inflight.iter().all(|&k| k <= 2));
    server.shutdown();
}

#[test]
fn a_run_that_cannot_finish_fails_instead_of_hanging() {
    let server = Server::start(ServerConfig::PLAIN).unwrap();
    // Ten requests of 100 ms each cannot be answered in 300 ms.
    let sch = Workload::back_to_back_fixed(10, 100_000_000);
    let t = Instant::now();
    let r = run(server.addr(), &sch, Loop::Open, Duration::from_millis(300));
    assert_eq!(r.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
    assert!(t.elapsed() < Duration::from_secs(2));
    server.shutdown();
}

/// A single FIFO server simulated by the Lindley recursion: Poisson arrivals at `rate` per ns,
/// exponential service of mean `s` ns.
fn mm1_trace(n: usize, rate: f64, s: f64, seed: u64) -> Trace {
    let mut rng = WyRand::new(seed);
    let (mut t, mut free) = (1000.0, 0.0f64);
    let (mut sent, mut recv) = (Vec::new(), Vec::new());
    for _ in 0..n {
        t += exponential(&mut rng, 1.0 / rate);
        let start = t.max(free);
        free = start + exponential(&mut rng, s);
        sent.push(t as u64);
        recv.push(free as u64);
    }
    Trace {
        intended_ns: sent.clone(),
        sent_ns: sent,
        received_ns: recv,
        ..Trace::default()
    }
}

#[test]
fn littles_law_accounting_holds_on_a_synthetic_trace() {
    let mut t = mm1_trace(50_000, 1.0 / 1000.0, 800.0, 11);
    let window = t.received_ns.iter().copied().max().unwrap() + 1000;
    // Integrated exactly, L is the total time in the system over the window: λW to rounding.
    let l_exact = integrated_inflight(&t.sent_ns, &t.received_ns, window);
    let total: u64 = (0..t.sent_ns.len())
        .map(|i| t.received_ns[i] - t.sent_ns[i])
        .sum();
    assert!((l_exact / (total as f64 / window as f64) - 1.0).abs() < 1e-9);
    // Sampled like the generator's sampler, every 10 µs: within 3%.
    let times: Vec<u64> = (0..window / 10_000).map(|k| k * 10_000).collect();
    t.inflight = inflight_at(&t.sent_ns, &t.received_ns, &times);
    t.window_ns = *times.last().unwrap();
    let law = little(&t);
    assert!((law.ratio() - 1.0).abs() < 0.03, "ratio {}", law.ratio());
    // And the M/M/1 mean for ρ = 0.8 is 800 / 0.2 = 4000 ns, within the simulation's noise.
    let w_ns = law.w * 1e9;
    assert!((w_ns / mm1_mean(800.0, 0.8) - 1.0).abs() < 0.15, "W {w_ns}");
}

#[test]
fn corrected_latency_counts_the_time_before_sending() {
    let intended = vec![0, 1000, 2000, 3000];
    let sent = vec![0, 1500, 2000, 9000];
    let received = vec![500, 2000, 2500, 9500];
    let t = Trace {
        intended_ns: intended,
        sent_ns: sent,
        received_ns: received,
        ..Trace::default()
    };
    let lat = Latencies::of(&t, 0);
    assert_eq!(lat.naive.max(), 500);
    assert_eq!(lat.corrected.max(), lat.corrected.highest_equivalent(6500));
    assert_eq!(lat.corrected.len(), 4);
}

#[test]
fn record_correct_fills_in_the_requests_a_stall_held_back() {
    // A client that meant to send every 1 ms: 999 answers in 1 ms, one stall of 100 ms.
    let n = 1000;
    let mut sent = Vec::new();
    let mut recv = Vec::new();
    let mut t = 0u64;
    for i in 0..n {
        let lat = if i == 500 { 100_000_000 } else { 1_000_000 };
        sent.push(t);
        recv.push(t + lat);
        t += lat;
    }
    let trace = Trace {
        intended_ns: sent.clone(),
        sent_ns: sent,
        received_ns: recv,
        ..Trace::default()
    };
    let lat = Latencies::of(&trace, 1_000_000);
    let naive_p99 = lat.naive.value_at_quantile(0.99) as f64;
    let rc_p99 = lat.record_correct.value_at_quantile(0.99) as f64;
    // Naively only one sample in a thousand is slow, so the p99 is 1 ms...
    assert!(naive_p99 < 1.01e6);
    // ...but a user arriving every 1 ms during the stall waited up to 100 ms: the correction
    // adds 99 synthetic samples between 99 ms and 1 ms, and the p99 moves to the stall.
    assert_eq!(lat.record_correct.len(), 1000 + 99);
    assert!(rc_p99 > 5e6, "{rc_p99}");
}

fn cap_record_has(s: &benchkit::runner::Sample, name: &str) -> bool {
    s.value(name).is_some_and(f64::is_finite)
}

#[test]
fn the_spin_counts_the_gaps_in_its_clock_as_stalls() {
    // A clock that advances 100 ns per read, except for two jumps of 3 ms and 50 ms.
    let t0 = Instant::now();
    let mut reads = 0u64;
    let clock = || {
        reads += 1;
        let mut ns = reads * 100;
        if reads > 10 {
            ns += 3_000_000;
        }
        if reads > 20 {
            ns += 50_000_000;
        }
        t0 + Duration::from_nanos(ns)
    };
    let seen = spin_on(clock, t0 + Duration::from_millis(60), STALL);
    assert_eq!(
        seen,
        Stalls {
            count: 2,
            total_ns: 3_000_100 + 50_000_100,
            max_ns: 50_000_100,
        }
    );
    // Without jumps, nothing is a stall; a deadline already past returns at once.
    let mut n = 0u64;
    let smooth = || {
        n += 1;
        t0 + Duration::from_nanos(n * 100)
    };
    assert_eq!(
        spin_on(smooth, t0 + Duration::from_millis(1), STALL),
        Stalls::default()
    );
    assert_eq!(spin_on(Instant::now, t0, STALL), Stalls::default());
}

#[test]
fn the_server_accounts_for_its_own_time() {
    let server = Server::start(ServerConfig::PLAIN).unwrap();
    let mut c = TcpStream::connect(server.addr()).unwrap();
    let reqs: Vec<Request> = (0..20)
        .map(|i| Request {
            id: i,
            service_ns: 100_000,
            body: body_for(i).to_vec(),
        })
        .collect();
    let mut wire = Vec::new();
    for r in &reqs {
        r.encode(&mut wire);
    }
    c.write_all(&wire).unwrap();
    assert_eq!(read_responses(&mut c, reqs.len()).len(), reqs.len());
    let side = ServerSide::of(&server.shutdown());
    assert_eq!((side.requests, side.batches), (20, 20));
    // Every request spun at least its 100 µs; busy time holds service time and stalls, and
    // the span holds the busy time.
    assert!(side.service_ns >= 20 * 100_000, "{side:?}");
    assert_eq!(side.busy_ns, side.service_ns + side.stalled_ns, "{side:?}");
    assert!(side.busy_ns <= side.span_ns, "{side:?}");
    assert!((0.0..=1.0).contains(&side.utilisation()), "{side:?}");
    assert!(side.mean_service_ns() >= 100_000.0, "{side:?}");
    assert!(side.stalls == 0 || side.max_stall_ns >= STALL.as_nanos() as u64);
    // Equal service times have no variability to speak of.
    assert!(side.service_scv() < 0.5, "{side:?}");
    // The server's own count of what it holds never exceeds what was sent.
    if let Some(l) = side.held_mean {
        assert!((0.0..=20.0).contains(&l), "{side:?}");
    }
}

#[test]
fn the_service_variability_of_the_server_counters() {
    // Two batches of 1 and 3 µs: mean 2, second moment 5, SCV 5/4 - 1.
    let side = ServerSide {
        batches: 2,
        service_ns: 4_000,
        service_sq_ns2: 1_000_000 + 9_000_000,
        busy_ns: 4_000,
        span_ns: 8_000,
        ..ServerSide::default()
    };
    assert_eq!(side.mean_service_ns(), 2_000.0);
    assert!((side.service_scv() - 0.25).abs() < 1e-12);
    assert_eq!(side.utilisation(), 0.5);
    assert_eq!(ServerSide::default().service_scv(), 0.0);
}

#[test]
fn batch_means_of_a_tail() {
    use ch04::stats::batch_quantile;
    // Ten batches of 100: batch k holds 1..=100 plus 1000 k, so its p99 is 99 + 1000 k.
    let v: Vec<u64> = (0..10u64)
        .flat_map(|k| (1..=100).map(move |i| i + 1000 * k))
        .collect();
    let b = batch_quantile(&v, 10, 0.99);
    assert_eq!((b.min, b.max), (99.0, 9099.0));
    assert!((b.mean - 4599.0).abs() < 1e-9);
    // The standard deviation of 0, 1000, ..., 9000 is 3027.65; over the square root of 10.
    assert!((b.se - 957.43).abs() < 0.01, "{}", b.se);
    // Equal batches: no spread.
    let flat = batch_quantile(&[5; 40], 4, 0.5);
    assert_eq!((flat.mean, flat.se), (5.0, 0.0));
}

#[test]
fn the_mm1_formulas() {
    // Pollaczek–Khinchine: exponential service is M/M/1, constant service waits half as long.
    assert!((pk_mean(1.0, 0.5, 1.0) - mm1_mean(1.0, 0.5)).abs() < 1e-12);
    assert!((pk_mean(1.0, 0.5, 0.0) - 1.5).abs() < 1e-12);
    assert_eq!(mm1_mean(1.0, 0.5), 2.0);
    assert!((mm1_quantile(1.0, 0.0, 0.99) - 100f64.ln()).abs() < 1e-12);
    assert!(mm1_mean(1.0, 0.95) > 19.99);
}

#[test]
fn digests_match_the_bodies_the_generator_sends() {
    let r = Request {
        id: 42,
        service_ns: 0,
        body: body_for(42).to_vec(),
    };
    assert_eq!(answer(&r).digest, digest(&r));
    assert_ne!(body_for(1), body_for(2));
}

/// The custom metrics the chapter's declarations and reference results name, by experiment.
const SERVER_METRICS: [&str; 7] = [
    "server_util_pct",
    "server_service_ns",
    "service_scv",
    "stalls",
    "stalled_ms",
    "max_stall_ms",
    "server_span_ms",
];
const CAPACITY_METRICS: [&str; 3] = ["capacity_rps", "service_ns", "realtime"];
const LOAD_METRICS: [&str; 25] = [
    "p50_ns",
    "p99_ns",
    "p999_ns",
    "mean_ns",
    "max_ns",
    "naive_p50_ns",
    "naive_p99_ns",
    "naive_p999_ns",
    "naive_mean_ns",
    "rc_p99_ns",
    "rc_p999_ns",
    "offered_rps",
    "sent_rps",
    "achieved_rps",
    "util_pct",
    "mm1_mean_ns",
    "mm1_p99_ns",
    "little_l",
    "little_lambda",
    "little_w_ns",
    "w_ns",
    "little_ratio",
    "little_err_pct",
    "send_lag_p99_ns",
    "realtime",
];
const TRADEOFF_METRICS: [&str; 6] = [
    "throughput_rps",
    "p50_ns",
    "p99_ns",
    "mean_ns",
    "mean_batch",
    "realtime",
];

#[test]
fn the_case_list_keeps_the_ids_of_the_reference_results() {
    let mut expect = vec!["capacity/closed/n16".to_string()];
    for u in [10, 20, 30, 40, 50, 60, 70, 80, 90, 95] {
        expect.push(format!("load/open/u{u}"));
        expect.push(format!("load/closed/u{u}"));
        expect.push(format!("load/closed_many/u{u}"));
    }
    for server in ["one_at_a_time", "batched"] {
        for n in [1, 2, 4, 8, 16, 32, 64] {
            expect.push(format!("tradeoff/{server}/n{n}"));
        }
    }
    expect.extend(
        [
            "summary/hdr/n1024",
            "summary/sort/n1024",
            "summary/hdr/n65536",
            "summary/sort/n65536",
            "record/into_hdr/n4096",
            "record/into_vec/n4096",
            "protocol/handle/frames64",
            // The A/A twin of the largest HDR summary, measured last.
            "aa/summary/hdr.n65536",
        ]
        .map(String::from),
    );
    let cases = ch04::cases::all();
    let ids: Vec<String> = cases.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(ids, expect);
    // The manifest refuses duplicates; the load experiments and the A/A twin are wall-clock
    // only, the rest are measured by both harnesses.
    let manifest = bookproto::Manifest::new(cases.clone());
    for c in &manifest.cases {
        let wall_only = ["capacity", "load", "tradeoff", "aa"].contains(&c.id.group.as_str());
        assert_eq!(c.harnesses.instr(), !wall_only, "{}", c.id);
        assert!(c.harnesses.wall(), "{}", c.id);
    }
    let u50 = manifest
        .get(&bookproto::Id::new("load", "closed", "u50"))
        .unwrap();
    assert_eq!((u50.get("util"), u50.usize("clients")), (50.0, 1));
    let many = manifest
        .get(&bookproto::Id::new("load", "closed_many", "u50"))
        .unwrap();
    assert_eq!(many.usize("clients"), 16);
    let batched = manifest
        .get(&bookproto::Id::new("tradeoff", "batched", "n16"))
        .unwrap();
    assert_eq!(
        (batched.usize("clients"), batched.usize("batch_max")),
        (16, 64)
    );
}

#[test]
fn short_runs_record_every_metric_the_chapter_declares() {
    let id = bookproto::Id::new("load", "open", "u50");
    let cap = combine(&id, &[capacity(16, 0.3, SEED).unwrap()], "capacity_rps");
    for name in CAPACITY_METRICS {
        assert!(cap.metrics.contains_key(name), "capacity lacks {name}");
    }
    let cap = Capacity::of(&cap);
    assert!(cap.rps > 100.0, "{cap:?}");
    let open = load_point(&cap, 50.0, Loop::Open, 0.4, SEED).unwrap();
    let closed = load_point(&cap, 50.0, Loop::Closed { clients: 1 }, 0.4, SEED).unwrap();
    for s in [open, closed] {
        let r = combine(&id, &[s], "p50_ns");
        assert_eq!(r.problem(), None);
        for name in LOAD_METRICS.iter().chain(&SERVER_METRICS).chain(&[
            "rho_server_pct",
            "mm1s_mean_ns",
            "mm1s_p99_ns",
            "pk_mean_ns",
            "p99_batch_mean_ns",
            "p99_batch_se_ns",
            "p999_batch_max_ns",
            "requests",
            "little_server_l",
            "little_server_vs_generator",
        ]) {
            let v = r.metrics.get(*name).copied();
            assert!(
                v.is_some_and(|v| v.is_finite() && v >= 0.0),
                "{name} = {v:?}"
            );
        }
        let m = |name: &str| r.metrics[name];
        assert!(m("p50_ns") <= m("p99_ns") && m("p99_ns") <= m("p999_ns"));
        assert!(
            (0.7..1.3).contains(&m("little_ratio")),
            "{}",
            m("little_ratio")
        );
        // The server's count leaves out only the answers on their way back: a little less.
        assert!(
            (0.5..1.3).contains(&m("little_server_vs_generator")),
            "{}",
            m("little_server_vs_generator")
        );
        let d = r
            .distribution
            .expect("the corrected latencies' distribution");
        assert!(d.count > 0 && d.percentiles.windows(2).all(|w| w[0].1 <= w[1].1));
        assert_eq!(r.rounds, vec![m("p50_ns")]);
    }
    let b = combine(&id, &[tradeoff_point(8, 8, 0.1).unwrap()], "p50_ns");
    for name in TRADEOFF_METRICS.iter().chain(&SERVER_METRICS) {
        assert!(b.metrics.contains_key(*name), "tradeoff lacks {name}");
    }
    for name in SERVER_METRICS {
        assert!(
            cap_record_has(&capacity(4, 0.1, SEED).unwrap(), name),
            "capacity lacks {name}"
        );
    }
    assert!(b.metrics["mean_batch"] >= 1.0 && b.metrics["throughput_rps"] > 0.0);
}
