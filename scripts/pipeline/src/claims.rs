//! Check: claims as they came out on one machine, and how they read.

use crate::decl::{Claim, Metric, Test};

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
    /// The measurement cannot tell: the interval straddles the threshold, or the effect is
    /// inside the run's A/A spread. Says which.
    NotResolved(String),
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
    /// The 95% interval of the measured number, where the measurement has one (a bootstrap
    /// over a wall-clock metric's samples, widened to the spread of round medians).
    pub interval: Option<(f64, f64)>,
    /// What the interval is: `95% interval` (a bootstrap), or `range of 5 rounds` for an
    /// experiment's custom measurement, whose interval is the spread of its rounds.
    pub interval_label: String,
    /// How many times beyond its threshold the measured number lies, when more than three
    /// times: a claim that cannot fail as stated. With the declaration's reason, if it gives one.
    pub loose: Option<(f64, Option<String>)>,
}

/// What a wall-clock claim's interval is.
pub const BOOTSTRAP: &str = "95% interval";

/// The outcome of a claim whose number was measured, with its interval where there is one
/// (a 95% bootstrap interval) and the run's A/A spread (as a factor, `1.02` for 2%) where the
/// chapter measures one.
pub fn evaluated(
    c: &Claim,
    test: Test,
    measured: f64,
    interval: Option<(f64, f64)>,
    aa: Option<f64>,
    expression: String,
) -> Outcome {
    evaluated_with(c, test, measured, interval, BOOTSTRAP, aa, expression)
}

/// As [`evaluated`], with an interval of another kind, named by `label` (`range of 5 rounds`).
pub fn evaluated_with(
    c: &Claim,
    test: Test,
    measured: f64,
    interval: Option<(f64, f64)>,
    label: &str,
    aa: Option<f64>,
    expression: String,
) -> Outcome {
    let verdict = match interval {
        None => {
            if test.holds(measured) {
                Verdict::Holds
            } else {
                Verdict::Fails
            }
        }
        Some((lo, hi)) => match (test.holds(lo), test.holds(hi)) {
            (true, true) if matches!(test, Test::Between(..)) || test.holds(measured) => {
                Verdict::Holds
            }
            (false, false) if !straddles(test, lo, hi) => Verdict::Fails,
            _ => Verdict::NotResolved(format!(
                "the {label} [{}, {}] straddles the threshold",
                format_ratio(lo),
                format_ratio(hi)
            )),
        },
    };
    let verdict = match (verdict, aa) {
        // A claim of a difference (one that no difference, a ratio of 1, would not satisfy)
        // is not shown by an effect no larger than the difference between two ids of the same
        // code, whichever way its interval lies.
        (Verdict::Holds | Verdict::Fails, Some(spread))
            if !test.holds(1.0) && measured.ln().abs() <= spread.ln().abs() =>
        {
            Verdict::NotResolved(format!(
                "the ratio is inside this run's A/A spread (same code under two ids: {}×)",
                format_ratio(spread)
            ))
        }
        (v, _) => v,
    };
    let loose = test
        .margin(measured)
        .filter(|m| *m > 3.0 && matches!(verdict, Verdict::Holds))
        .map(|m| (m, c.loose().map(str::to_string)));
    Outcome {
        id: c.id().to_string(),
        text: c.text().to_string(),
        measured,
        expression,
        threshold: test.describe(),
        verdict,
        kind: Kind::of(c.metric()),
        interval,
        interval_label: label.to_string(),
        loose,
    }
}

/// Whether a band lies inside `[lo, hi]` (both ends outside the band on either side).
fn straddles(test: Test, lo: f64, hi: f64) -> bool {
    match test {
        Test::Between(a, b) => lo < a && hi > b,
        Test::Compare(..) => false,
    }
}

/// The outcome of a claim not evaluated on this machine.
pub fn set_aside(c: &Claim, why: String) -> Outcome {
    Outcome {
        id: c.id().to_string(),
        text: c.text().to_string(),
        measured: f64::NAN,
        expression: String::new(),
        threshold: c.test().map(Test::describe).unwrap_or_default(),
        verdict: Verdict::SetAside(why),
        kind: Kind::of(c.metric()),
        interval: None,
        interval_label: BOOTSTRAP.to_string(),
        loose: None,
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
            Verdict::NotResolved(_) => "? not resolved".into(),
        }
    }

    /// The measured number as a table cell (`–` when the claim was set aside).
    pub fn measured_cell(&self) -> String {
        match (&self.verdict, self.interval) {
            (Verdict::SetAside(_), _) => "–".into(),
            (_, Some((lo, hi))) => format!(
                "{} [{}, {}]",
                format_ratio(self.measured),
                format_ratio(lo),
                format_ratio(hi)
            ),
            (_, None) => format_ratio(self.measured),
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
                "claim {chapter}/{}: {} = {} ({}) {} on {machine}{}",
                self.id,
                self.expression,
                self.measured_cell(),
                self.threshold,
                match (v, self.kind) {
                    (Verdict::Holds, _) => "holds".to_string(),
                    (Verdict::NotResolved(why), _) => format!("not resolved ({why})"),
                    (_, Kind::Instructions) => "FAILS".to_string(),
                    _ => "does not hold (reported, not enforced)".to_string(),
                },
                match &self.loose {
                    Some((m, None)) => format!(
                        "; LOOSE: {}× beyond its threshold (tighten it, give a band, or say why in `loose`)",
                        format_ratio(*m)
                    ),
                    Some((m, Some(why))) => {
                        format!(
                            "; {}× beyond its threshold, as declared: {why}",
                            format_ratio(*m)
                        )
                    }
                    None => String::new(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decl::Decl;

    fn claim(test: &str) -> Claim {
        let text = format!(
            "[[claim]]\nid = \"c\"\ntext = \"t\"\nkind = \"ratio\"\nmetric = \"median\"\na = \"g/f/a\"\nb = \"g/f/b\"\nloose = \"a direction only\"\n{test}\n"
        );
        Decl::parse(&text, std::path::Path::new("f.toml"))
            .unwrap()
            .claim
            .remove(0)
    }

    fn verdict(
        test: &str,
        measured: f64,
        interval: Option<(f64, f64)>,
        aa: Option<f64>,
    ) -> Verdict {
        let c = claim(test);
        evaluated(&c, c.test().unwrap(), measured, interval, aa, String::new()).verdict
    }

    #[test]
    fn an_interval_that_clears_the_threshold_holds_or_fails_and_one_that_straddles_it_does_not_tell()
     {
        let ge = "op = \">=\"\nvalue = 1.5";
        assert_eq!(verdict(ge, 2.0, Some((1.8, 2.2)), None), Verdict::Holds);
        assert_eq!(verdict(ge, 1.2, Some((1.1, 1.3)), None), Verdict::Fails);
        assert!(matches!(
            verdict(ge, 1.6, Some((1.4, 1.7)), None),
            Verdict::NotResolved(_)
        ));
        assert_eq!(
            verdict(ge, 1.6, None, None),
            Verdict::Holds,
            "no interval: the point decides"
        );
    }

    #[test]
    fn a_band_holds_inside_fails_outside_and_is_unresolved_across_an_edge() {
        let band = "between = [2.5, 4.0]";
        assert_eq!(verdict(band, 3.0, Some((2.8, 3.3)), None), Verdict::Holds);
        assert_eq!(verdict(band, 5.0, Some((4.5, 5.5)), None), Verdict::Fails);
        assert!(matches!(
            verdict(band, 4.0, Some((3.8, 4.3)), None),
            Verdict::NotResolved(_)
        ));
        assert!(matches!(
            verdict(band, 3.0, Some((1.0, 6.0)), None),
            Verdict::NotResolved(_)
        ));
    }

    #[test]
    fn an_effect_inside_the_aa_spread_is_not_resolved_but_a_claim_of_no_effect_is_unaffected() {
        let faster = "op = \">=\"\nvalue = 1.01";
        let v = verdict(faster, 1.02, Some((1.015, 1.025)), Some(1.03));
        assert!(
            matches!(v, Verdict::NotResolved(ref why) if why.contains("A/A")),
            "{v:?}"
        );
        assert_eq!(
            verdict(faster, 1.5, Some((1.4, 1.6)), Some(1.03)),
            Verdict::Holds
        );
        let similar = "op = \"<\"\nvalue = 1.2";
        assert_eq!(
            verdict(similar, 1.01, Some((1.0, 1.02)), Some(1.03)),
            Verdict::Holds
        );
    }

    #[test]
    fn a_claim_far_beyond_its_threshold_is_loose_and_carries_its_declared_reason() {
        let c = claim("op = \">=\"\nvalue = 2");
        let o = evaluated(&c, c.test().unwrap(), 10.0, None, None, String::new());
        assert_eq!(o.loose, Some((5.0, Some("a direction only".into()))));
        let o = evaluated(&c, c.test().unwrap(), 5.0, None, None, String::new());
        assert_eq!(o.loose, None);
        assert!(
            claim("op = \">=\"").test().is_err(),
            "a threshold without a value"
        );
    }
}
