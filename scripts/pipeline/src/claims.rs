//! Check: claims as they came out on one machine, and how they read.

use crate::decl::{Claim, Metric};

/// What a claim is measured in, which decides whether it is enforced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Callgrind counts: deterministic, enforced by the test suite.
    Instructions,
    /// Criterion's wall-clock estimates: reported.
    WallClock,
    /// A number the benchmark recorded itself: reported.
    Custom,
}

impl Kind {
    fn of(m: &Metric) -> Kind {
        match m {
            Metric::Instr(_) => Kind::Instructions,
            Metric::Wall(_) => Kind::WallClock,
            Metric::Custom(_) | Metric::Percentile(_) => Kind::Custom,
        }
    }

    /// How the kind reads in the claims tables.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Instructions => "instructions (enforced by tests)",
            Kind::WallClock => "wall clock (reported)",
            Kind::Custom => "custom measurement (reported)",
        }
    }

    /// The short form, for the book-wide table.
    pub fn short(self) -> &'static str {
        match self {
            Kind::Instructions => "instructions",
            Kind::WallClock => "wall clock",
            Kind::Custom => "custom",
        }
    }
}

/// The verdict on one machine.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The measured number satisfies the claim.
    Holds,
    /// It does not.
    Fails,
    /// Not evaluated on this machine, and why (see [`crate::decl::Requires`]).
    SetAside(String),
}

/// A claim as it came out on one machine.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The claim's id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// The measured number: a ratio, or for a value claim the metric itself (NaN when set
    /// aside).
    pub measured: f64,
    /// What was divided by what, for the page.
    pub expression: String,
    /// `op value`, for the page.
    pub threshold: String,
    /// The verdict.
    pub verdict: Verdict,
    /// What it is measured in.
    pub kind: Kind,
}

/// `op value`, as the page shows it.
fn threshold(c: &Claim) -> String {
    let (op, value) = c.test();
    format!("{} {}", op.symbol(), trim_float(value))
}

/// The outcome of a claim whose number was measured.
pub fn evaluated(c: &Claim, measured: f64, expression: String) -> Outcome {
    let (op, value) = c.test();
    Outcome {
        id: c.id().to_string(),
        text: c.text().to_string(),
        measured,
        expression,
        threshold: threshold(c),
        verdict: if op.holds(measured, value) {
            Verdict::Holds
        } else {
            Verdict::Fails
        },
        kind: Kind::of(c.metric()),
    }
}

/// The outcome of a claim not evaluated on this machine.
pub fn set_aside(c: &Claim, why: String) -> Outcome {
    Outcome {
        id: c.id().to_string(),
        text: c.text().to_string(),
        measured: f64::NAN,
        expression: String::new(),
        threshold: threshold(c),
        verdict: Verdict::SetAside(why),
        kind: Kind::of(c.metric()),
    }
}

impl Outcome {
    /// Whether it held.
    pub fn held(&self) -> bool {
        self.verdict == Verdict::Holds
    }

    /// Whether it failed a claim the test suite enforces.
    pub fn fails_enforced(&self) -> bool {
        self.verdict == Verdict::Fails && self.kind == Kind::Instructions
    }

    /// The result as a table cell: holds, does not hold, or why it was not measured.
    pub fn verdict_cell(&self) -> String {
        match &self.verdict {
            Verdict::SetAside(why) => format!("not measured here: {why}"),
            Verdict::Holds => "✓ holds".into(),
            Verdict::Fails => "✗ does not hold".into(),
        }
    }

    /// The measured number as a table cell (`–` when the claim was set aside).
    pub fn measured_cell(&self) -> String {
        if matches!(self.verdict, Verdict::SetAside(_)) {
            "–".into()
        } else {
            format_ratio(self.measured)
        }
    }

    /// One line for the terminal.
    pub fn line(&self, chapter: &str, machine: &str) -> String {
        match &self.verdict {
            Verdict::SetAside(why) => {
                format!(
                    "claim {chapter}/{}: not measured on {machine}: {why}",
                    self.id
                )
            }
            v => format!(
                "claim {chapter}/{}: {} = {} ({}) {} on {machine}",
                self.id,
                self.expression,
                format_ratio(self.measured),
                self.threshold,
                match (v, self.kind) {
                    (Verdict::Holds, _) => "holds",
                    (_, Kind::Instructions) => "FAILS",
                    _ => "does not hold (reported, not enforced)",
                }
            ),
        }
    }
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
