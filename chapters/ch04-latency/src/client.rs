//! The client side of the chapter's service: what a run sends ([`Workload`]: when each request
//! is meant to go out, and how much service it asks for) and the connection that carries it
//! ([`Connection`]), which benchkit's load generator drives ([`benchkit::runner::load::drive`]).
//!
//! One connection carries every request of a run, so the server serves them one after another
//! from one queue: a single-server FIFO queue, the M/M/1 model's. The generator is one thread
//! that sleeps in `ppoll`, which takes a timeout in nanoseconds and wakes as soon as an answer
//! arrives, so that on a two-CPU machine it does not spin beside the server; a second thread
//! samples the number of requests in flight every [`SAMPLE_PERIOD`], for Little's law.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use benchkit::runner::load::{self, Arrivals, Loop, Pipeline, Trace, exponential};
use inputs::Rng as WyRand;

use crate::protocol::{Request, digest, parse_response};

/// Bytes in each request's body.
pub const BODY_LEN: usize = 32;
/// How often the sampler counts the requests in flight.
pub const SAMPLE_PERIOD: Duration = Duration::from_millis(1);

/// What a run sends: when each request is meant to be sent, and the service time it asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Intended send times.
    pub arrivals: Arrivals,
    /// Service time each request asks for, in nanoseconds.
    pub service_ns: Vec<u32>,
}

/// `n` service times drawn from the exponential distribution of mean `mean_ns`.
fn service_draws(n: usize, mean_ns: f64, seed: u64) -> Vec<u32> {
    let mut rng = WyRand::new(seed ^ 0x5e57_1ce0_0000_0000);
    (0..n)
        .map(|_| exponential(&mut rng, mean_ns).min(f64::from(u32::MAX)) as u32)
        .collect()
}

impl Workload {
    /// `n` requests arriving as a Poisson process of `rate` per second, each asking for an
    /// exponentially distributed service time of mean `mean_service_ns`: the M/M/1 queue's
    /// assumptions.
    pub fn poisson(rate: f64, n: usize, mean_service_ns: f64, seed: u64) -> Workload {
        Workload {
            arrivals: Arrivals::poisson(rate, n, seed),
            service_ns: service_draws(n, mean_service_ns, seed),
        }
    }

    /// `n` requests exactly `1 / rate` apart, each asking for `service_ns`.
    pub fn uniform(rate: f64, n: usize, service_ns: u32) -> Workload {
        Workload {
            arrivals: Arrivals::fixed_rate(rate, n),
            service_ns: vec![service_ns; n],
        }
    }

    /// `n` requests all intended at the start, with exponential service times of mean
    /// `mean_service_ns`: in a closed loop, each client sends its next request as soon as the
    /// previous one is answered.
    pub fn back_to_back(n: usize, mean_service_ns: f64, seed: u64) -> Workload {
        Workload {
            arrivals: Arrivals::back_to_back(n),
            service_ns: service_draws(n, mean_service_ns, seed),
        }
    }

    /// `n` requests all intended at the start, each asking for `service_ns`.
    pub fn back_to_back_fixed(n: usize, service_ns: u32) -> Workload {
        Workload {
            arrivals: Arrivals::back_to_back(n),
            service_ns: vec![service_ns; n],
        }
    }

    /// Number of requests.
    pub fn len(&self) -> usize {
        self.arrivals.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.arrivals.is_empty()
    }
}

/// The body of request `id`: its bytes repeated, so that every request's digest differs.
pub fn body_for(id: u64) -> [u8; BODY_LEN] {
    let mut b = [0u8; BODY_LEN];
    for c in b.chunks_exact_mut(8) {
        c.copy_from_slice(&id.to_le_bytes());
    }
    b
}

/// Waits until `fd` has one of `events` or `timeout` passes; returns the events seen (none
/// when a signal interrupted the wait).
fn wait(fd: i32, events: i16, timeout: Duration) -> io::Result<i16> {
    let mut p = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    #[cfg(target_os = "linux")]
    let r = {
        let ts = libc::timespec {
            tv_sec: timeout.as_secs() as libc::time_t,
            tv_nsec: libc::c_long::from(timeout.subsec_nanos()),
        };
        // SAFETY: `p` and `ts` are live locals for the whole call and `nfds` is 1, the length
        // of the one `pollfd`; a null signal mask leaves the thread's mask unchanged.
        unsafe { libc::ppoll(&mut p, 1, &ts, std::ptr::null()) }
    };
    #[cfg(not(target_os = "linux"))]
    // SAFETY: `p` is a live local for the whole call and `nfds` is 1, the length of the one
    // `pollfd`.
    let r = unsafe { libc::poll(&mut p, 1, timeout.as_millis().clamp(1, 1000) as i32) };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == ErrorKind::Interrupted {
            Ok(0)
        } else {
            Err(e)
        };
    }
    Ok(p.revents)
}

/// One non-blocking connection to the server, carrying the requests of one [`Workload`]:
/// request `i` asks for `service_ns[i]` and carries [`body_for`]`(i)`, and every answer's
/// digest is checked against its request.
pub struct Connection<'w> {
    stream: TcpStream,
    service_ns: &'w [u32],
    out: Vec<u8>,
    out_at: usize,
    inbuf: Vec<u8>,
    chunk: Vec<u8>,
}

impl<'w> Connection<'w> {
    /// Connects to `addr` (with Nagle's delay off) for requests asking for `service_ns`.
    pub fn connect(addr: SocketAddr, service_ns: &'w [u32]) -> io::Result<Connection<'w>> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        stream.set_nodelay(true)?;
        stream.set_nonblocking(true)?;
        Ok(Connection {
            stream,
            service_ns,
            out: Vec::with_capacity(1 << 14),
            out_at: 0,
            inbuf: Vec::with_capacity(1 << 16),
            chunk: vec![0u8; 1 << 16],
        })
    }

    /// Writes as much of the pending output as the socket takes now.
    fn flush(&mut self) -> io::Result<()> {
        while self.out_at < self.out.len() {
            match self.stream.write(&self.out[self.out_at..]) {
                Ok(k) => self.out_at += k,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.out.clear();
        self.out_at = 0;
        Ok(())
    }
}

impl Pipeline for Connection<'_> {
    fn send(&mut self, i: usize) -> io::Result<()> {
        Request {
            id: i as u64,
            service_ns: self.service_ns[i],
            body: body_for(i as u64).to_vec(),
        }
        .encode(&mut self.out);
        self.flush()
    }

    fn receive(&mut self, timeout: Duration, done: &mut Vec<usize>) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        self.flush()?;
        let events = libc::POLLIN
            | if self.out.is_empty() {
                0
            } else {
                libc::POLLOUT
            };
        let seen = wait(self.stream.as_raw_fd(), events, timeout)?;
        if seen & (libc::POLLIN | libc::POLLERR | libc::POLLHUP) == 0 {
            return Ok(());
        }
        // Read every answer that has arrived.
        loop {
            match self.stream.read(&mut self.chunk) {
                Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
                Ok(k) => {
                    self.inbuf.extend_from_slice(&self.chunk[..k]);
                    if k < self.chunk.len() {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let mut at = 0;
        while let Some((resp, used)) = parse_response(&self.inbuf[at..])
            .map_err(|e| io::Error::new(ErrorKind::InvalidData, e))?
        {
            at += used;
            let i = usize::try_from(resp.id).unwrap_or(usize::MAX);
            let expected = (i < self.service_ns.len()).then(|| {
                digest(&Request {
                    id: resp.id,
                    service_ns: 0,
                    body: body_for(resp.id).to_vec(),
                })
            });
            if expected != Some(resp.digest) {
                return Err(io::Error::new(
                    ErrorKind::InvalidData,
                    format!("unexpected answer {resp:?}"),
                ));
            }
            done.push(i);
        }
        self.inbuf.drain(..at);
        Ok(())
    }
}

/// Sends `workload` to the server at `addr` over one connection and returns what happened to
/// every request: benchkit's generator in `mode`, sampling the requests in flight every
/// [`SAMPLE_PERIOD`], its threads asking for real-time priority
/// ([`crate::server::try_realtime`]).
///
/// Fails (rather than hangs) when the run is not over after `limit`, when an answer does not
/// match its request, or on any socket error.
pub fn run(
    addr: SocketAddr,
    workload: &Workload,
    mode: Loop,
    limit: Duration,
) -> io::Result<Trace> {
    let mut conn = Connection::connect(addr, &workload.service_ns)?;
    let mut opts = load::Options::new(mode, limit);
    opts.inflight_every = Some(SAMPLE_PERIOD);
    opts.thread_setup = Some(crate::server::try_realtime);
    load::drive(&mut conn, &workload.arrivals, &opts)
}
