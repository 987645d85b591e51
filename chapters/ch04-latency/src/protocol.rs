//! The wire protocol of the chapter's service: length-prefixed binary frames over TCP.
//!
//! Every frame is a little-endian `u32` length followed by that many bytes. A request carries
//! an id, the service time the server is to spend on it, and a body; a response carries the id
//! and a digest of the request, so that the client can check that the answer belongs to the
//! question. Parsing is incremental: [`parse_request`] and [`parse_response`] look at the front
//! of a buffer that may hold half a frame, one frame or many, and say how many bytes a whole
//! frame used, so that a reader can feed them whatever `read` returned.

/// Bytes of the length prefix.
pub const LEN_BYTES: usize = 4;
/// Bytes of a request's fixed part: id (8) and service time (4).
pub const REQUEST_HEAD: usize = 12;
/// Bytes of a response after its length prefix: id (8) and digest (8).
pub const RESPONSE_BODY: usize = 16;
/// The largest request body accepted; a longer length is a protocol error, not an allocation.
pub const MAX_BODY: usize = 64 * 1024;

/// A request: do `service_ns` nanoseconds of work and return the digest of `body`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Chosen by the client; the response repeats it.
    pub id: u64,
    /// How long the server is to work on this request, in nanoseconds.
    pub service_ns: u32,
    /// Payload; the server digests it.
    pub body: Vec<u8>,
}

/// A response to the request with the same id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Response {
    /// The request's id.
    pub id: u64,
    /// [`digest`] of the request.
    pub digest: u64,
}

/// What can be wrong with the bytes at the front of a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// The length prefix announces more than the protocol allows.
    TooLong(usize),
    /// The length prefix announces fewer bytes than the message's fixed part.
    TooShort(usize),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::TooLong(n) => write!(f, "frame of {n} bytes is longer than allowed"),
            FrameError::TooShort(n) => write!(f, "frame of {n} bytes is shorter than its header"),
        }
    }
}

impl std::error::Error for FrameError {}

// ANCHOR: encode
impl Request {
    /// Appends the request's frame to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let len = REQUEST_HEAD + self.body.len();
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend_from_slice(&self.id.to_le_bytes());
        out.extend_from_slice(&self.service_ns.to_le_bytes());
        out.extend_from_slice(&self.body);
    }
}

impl Response {
    /// Appends the response's frame to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(RESPONSE_BODY as u32).to_le_bytes());
        out.extend_from_slice(&self.id.to_le_bytes());
        out.extend_from_slice(&self.digest.to_le_bytes());
    }
}
// ANCHOR_END: encode

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

/// The length of the frame at the front of `buf`, prefix included, once the prefix is there.
fn frame_len(buf: &[u8], min: usize, max: usize) -> Result<Option<usize>, FrameError> {
    if buf.len() < LEN_BYTES {
        return Ok(None);
    }
    let len = u32_at(buf, 0) as usize;
    if len > max {
        return Err(FrameError::TooLong(len));
    }
    if len < min {
        return Err(FrameError::TooShort(len));
    }
    Ok(Some(LEN_BYTES + len))
}

// ANCHOR: parse
/// Parses the request at the front of `buf`: `Ok(None)` when the frame is not complete yet,
/// otherwise the request and the number of bytes it used.
pub fn parse_request(buf: &[u8]) -> Result<Option<(Request, usize)>, FrameError> {
    let Some(total) = frame_len(buf, REQUEST_HEAD, REQUEST_HEAD + MAX_BODY)? else {
        return Ok(None);
    };
    if buf.len() < total {
        return Ok(None);
    }
    let id = u64_at(buf, LEN_BYTES);
    let service_ns = u32_at(buf, LEN_BYTES + 8);
    let body = buf[LEN_BYTES + REQUEST_HEAD..total].to_vec();
    Ok(Some((
        Request {
            id,
            service_ns,
            body,
        },
        total,
    )))
}
// ANCHOR_END: parse

/// Parses the response at the front of `buf`, as [`parse_request`].
pub fn parse_response(buf: &[u8]) -> Result<Option<(Response, usize)>, FrameError> {
    let Some(total) = frame_len(buf, RESPONSE_BODY, RESPONSE_BODY)? else {
        return Ok(None);
    };
    if buf.len() < total {
        return Ok(None);
    }
    let id = u64_at(buf, LEN_BYTES);
    let digest = u64_at(buf, LEN_BYTES + 8);
    Ok(Some((Response { id, digest }, total)))
}

/// The digest a correct server returns for `req`: 64-bit FNV-1a over the id and the body.
pub fn digest(req: &Request) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    for &b in req.id.to_le_bytes().iter().chain(&req.body) {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// The response a correct server returns for `req`, without the service time it spends.
pub fn answer(req: &Request) -> Response {
    Response {
        id: req.id,
        digest: digest(req),
    }
}

/// Parses every complete request at the front of `buf` and appends their answers' frames to
/// `out`; returns how many bytes of `buf` were used. This is the server's work per request
/// minus its service time: what the instruction-count harness measures.
pub fn handle_all(buf: &[u8], out: &mut Vec<u8>) -> Result<usize, FrameError> {
    let mut used = 0;
    while let Some((req, n)) = parse_request(&buf[used..])? {
        answer(&req).encode(out);
        used += n;
    }
    Ok(used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_depends_on_id_and_body() {
        let a = Request {
            id: 1,
            service_ns: 0,
            body: vec![1, 2, 3],
        };
        let mut b = a.clone();
        b.id = 2;
        let mut c = a.clone();
        c.body[0] = 9;
        assert_ne!(digest(&a), digest(&b));
        assert_ne!(digest(&a), digest(&c));
        let mut d = a.clone();
        d.service_ns = 7;
        assert_eq!(digest(&a), digest(&d), "the service time is not part of it");
    }
}
