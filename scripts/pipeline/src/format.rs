//! How numbers read on the page: units, significant digits, escaping.

/// Divisor and suffix of a unit name used in declarations.
pub fn unit(unit: &str) -> (f64, &'static str) {
    match unit {
        "ns" => (1.0, "ns"),
        "us" => (1e3, "µs"),
        "ms" => (1e6, "ms"),
        "s" => (1e9, "s"),
        "pct" => (1.0, "%"),
        "x" => (1.0, "×"),
        "gbps" => (1.0, "GB/s"),
        "cycles" => (1.0, "cycles"),
        _ => (1.0, ""),
    }
}

/// The time unit that shows `ns` with one to three digits before the point.
pub fn auto_time_unit(ns: f64) -> &'static str {
    if ns >= 1e9 {
        "s"
    } else if ns >= 1e6 {
        "ms"
    } else if ns >= 1e3 {
        "us"
    } else {
        "ns"
    }
}

/// Whether a unit name is one of time (`ns`, `us`, `ms`, `s`).
pub fn unit_is_time(u: &str) -> bool {
    matches!(u, "ns" | "us" | "ms" | "s")
}

/// Three significant digits (more before the point are kept, with thousands separators).
pub fn sig3(x: f64) -> String {
    let a = x.abs();
    if a >= 1000.0 {
        count(x)
    } else if a >= 100.0 || a == 0.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// An integer with thousands separators: `471,272`.
pub fn count(x: f64) -> String {
    let n = x.round() as i128;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A value of `metric` in `unit` (or the metric's natural unit), with its suffix.
pub fn value(x: f64, unit_name: &str) -> String {
    match unit_name {
        "count" => count(x),
        "pct" => format!("{} %", sig3(x)),
        "x" => format!("{}×", sig3(x)),
        u => {
            let (div, suffix) = unit(u);
            format!("{} {suffix}", sig3(x / div))
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes HTML, then turns `code` spans into `<code>` elements (for captions inside HTML).
pub fn html_inline(s: &str) -> String {
    let e = html(s);
    let mut out = String::new();
    for (i, part) in e.split('`').enumerate() {
        if i % 2 == 1 {
            out += &format!("<code>{part}</code>");
        } else {
            out += part;
        }
    }
    out
}

/// Standard base64 with padding, for data URIs.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_person_writes_them() {
        assert_eq!(count(471_272.0), "471,272");
        assert_eq!(count(999.0), "999");
        assert_eq!(value(76_377.0, "us"), "76.4 µs");
        assert_eq!(value(702.7, "ns"), "703 ns");
        assert_eq!(value(4.256, "pct"), "4.26 %");
        assert_eq!(auto_time_unit(76_377.0), "us");
        assert_eq!(html_inline("a `<b>` c"), "a <code>&lt;b&gt;</code> c");
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
