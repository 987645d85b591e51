//! Check: every declared claim evaluated against a results file.

use crate::decl::{Claim, ClaimKind, Decl, matching};
use crate::results::Results;

/// A claim as it came out on one machine.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The claim's id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// The measured number: a ratio, or for a value claim the metric itself.
    pub measured: f64,
    /// What was divided by what, for the page.
    pub expression: String,
    /// `op value`, for the page.
    pub threshold: String,
    /// Whether it held (false when it was set aside).
    pub held: bool,
    /// Why the claim was not evaluated on this machine (see [`crate::decl::Requires`]).
    pub set_aside: Option<String>,
    /// Whether it is over instruction counts (and so enforced by the test suite).
    pub instr: bool,
    /// Whether it is over a custom measurement (`custom.<name>`; reported, like wall clock).
    pub custom: bool,
}

/// Evaluates one claim. The declarations must have been validated against `results`.
pub fn evaluate(c: &Claim, results: &Results) -> Outcome {
    let get = |id: &str| results.benchmarks[id].metric(&c.metric).expect("validated");
    let (measured, expression) = match c.kind {
        ClaimKind::Ratio => {
            let (a, b) = (
                c.a.as_deref().expect("validated"),
                c.b.as_deref().expect("validated"),
            );
            (
                get(a) / get(b),
                format!("{} of {} ÷ {}", c.metric, short(a), short(b)),
            )
        }
        ClaimKind::Value => {
            let a = c.a.as_deref().expect("validated");
            (get(a), format!("{} of {}", c.metric, short(a)))
        }
        ClaimKind::Spread => {
            let p = c.benches.as_deref().expect("validated");
            let vals: Vec<f64> = matching(results, p).iter().map(|id| get(id)).collect();
            let max = vals.iter().copied().fold(f64::MIN, f64::max);
            let min = vals.iter().copied().fold(f64::MAX, f64::min);
            (
                max / min,
                format!(
                    "largest ÷ smallest {} over {} benchmarks `{p}`",
                    c.metric,
                    vals.len()
                ),
            )
        }
    };
    Outcome {
        id: c.id.clone(),
        text: c.text.clone(),
        measured,
        expression,
        threshold: threshold(c),
        held: c.op.holds(measured, c.value),
        set_aside: None,
        instr: c.is_instr(),
        custom: crate::results::custom_name(&c.metric).is_some(),
    }
}

/// `op value`, as the page shows it.
fn threshold(c: &Claim) -> String {
    format!("{} {}", c.op.symbol(), trim_float(c.value))
}

/// Evaluates every claim of a chapter, in declaration order, followed by those set aside for
/// this machine.
pub fn evaluate_all(decl: &Decl, results: &Results) -> Vec<Outcome> {
    let mut out: Vec<Outcome> = decl.claim.iter().map(|c| evaluate(c, results)).collect();
    out.extend(decl.set_aside.iter().map(|(c, why)| Outcome {
        id: c.id.clone(),
        text: c.text.clone(),
        measured: f64::NAN,
        expression: String::new(),
        threshold: threshold(c),
        held: false,
        set_aside: Some(why.clone()),
        instr: c.is_instr(),
        custom: crate::results::custom_name(&c.metric).is_some(),
    }));
    out
}

impl Outcome {
    /// The result as a table cell: holds, does not hold, or why it was not measured.
    pub fn verdict(&self) -> String {
        match (&self.set_aside, self.held) {
            (Some(why), _) => format!("not measured here: {why}"),
            (None, true) => "✓ holds".into(),
            (None, false) => "✗ does not hold".into(),
        }
    }

    /// The measured number as a table cell (`–` when the claim was set aside).
    pub fn measured_cell(&self) -> String {
        if self.set_aside.is_some() {
            "–".into()
        } else {
            format_ratio(self.measured)
        }
    }
}

fn short(id: &str) -> String {
    format!("`{id}`")
}

/// `1.5` as `1.5`, `1.0` as `1`.
pub fn trim_float(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The measured ratio as the page shows it: four significant digits, exact when it is whole.
pub fn format_ratio(x: f64) -> String {
    if x == x.round() && x.abs() < 1e6 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else if x.abs() >= 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}
