//! Custom measurements: numbers a benchmark measures that are neither criterion's estimates nor
//! callgrind's counts, such as the smallest step between two readings of the clock.
//!
//! A benchmark records them under its id, `group/function/case` like every other benchmark,
//! with [`record`]. When the pipeline runs the benchmarks it sets [`ENV`] to a directory, and
//! each record becomes one file there, `<group>/<function>/<case>.json`:
//!
//! ```json
//! {"id": "timer/steps/instant", "metrics": {"min_step_ns": 18.0, "equal_pct": 0.0}}
//! ```
//!
//! The pipeline stores the metrics in the results file under the benchmark's `custom` field,
//! and the chapter's `figures.toml` names them `custom.<name>`. Without the variable (a reader
//! running `cargo bench -p chNN` by hand) the numbers are printed instead. Either way one line
//! starting with `custom ` goes to standard output.
//!
//! A benchmark can also store text, such as the folded stacks of a profile, with [`artifact`].

use std::path::{Path, PathBuf};

use bookproto::{Id, Record, RecordFile};

/// The environment variable that names the directory records are written to.
pub const ENV: &str = bookproto::env::CUSTOM_DIR;

/// The environment variable that names the directory artifacts are written to.
pub const ARTIFACT_ENV: &str = bookproto::env::ARTIFACT_DIR;

/// Stores a text artifact a benchmark produced besides numbers, such as the folded stacks of a
/// profile (`frame;frame;frame count` per line), under `name`: into the directory named by
/// [`ARTIFACT_ENV`] when the pipeline set it, otherwise into `book-artifacts/` below the
/// system's temporary directory. The pipeline stores artifacts in the results file, where the
/// chapter's declarations name them (`artifact = "workload.folded"`). One line starting with
/// `artifact ` goes to standard output.
///
/// # Panics
/// When `name` is not lower-case letters, digits, `_`, `-` and `.` (not starting with `.`),
/// when `text` is empty, or when the file cannot be written.
pub fn artifact(name: &str, text: &str) {
    assert!(
        !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c)),
        "artifact name {name:?} is not lower-case letters, digits, `_`, `-` and `.`"
    );
    assert!(!text.is_empty(), "artifact {name} is empty");
    if !bookproto::Round::from_env().first() {
        // Round 0 stored it; a later round only repeats criterion's timings.
        return;
    }
    let dir = std::env::var_os(ARTIFACT_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("book-artifacts"));
    let path = dir.join(name);
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, text))
        .unwrap_or_else(|e| panic!("cannot write artifact {name} to {}: {e}", path.display()));
    println!(
        "artifact {name}: {} lines (written to {})",
        text.lines().count(),
        path.display()
    );
}

/// Records `metrics` for the benchmark `id`: into the directory named by [`ENV`] when it is
/// set, and as a line of standard output in any case.
///
/// # Panics
/// On a malformed id, metric name or value (see [`to_json`]), or when the file cannot be
/// written: a measurement that silently went missing would leave the chapter's page without its
/// number, and the pipeline would only notice later and further from the cause.
pub fn record(id: &str, metrics: &[(&str, f64)]) {
    record_full(&parse_id(id), &scalars(id, metrics));
}

/// Records a whole [`Record`] (scalars, a distribution, series, round medians) for `id`, as
/// [`record`] does for scalars.
///
/// # Panics
/// When the record has a problem ([`Record::problem`]) or the file cannot be written.
pub fn record_full(id: &Id, record: &Record) {
    let line = summary(record);
    if !bookproto::Round::from_env().first() {
        // Round 0 stored it; a later round only repeats criterion's timings.
        return;
    }
    match std::env::var_os(ENV) {
        Some(dir) => {
            let path = record_in(Path::new(&dir), id, record).unwrap_or_else(|e| {
                panic!(
                    "cannot write the custom measurement of {id} below {}: {e}",
                    Path::new(&dir).display()
                )
            });
            println!("custom {id}: {line} (written to {})", path.display());
        }
        None => println!("custom {id}: {line}"),
    }
}

fn summary(r: &Record) -> String {
    let mut parts: Vec<String> = r
        .metrics
        .iter()
        .map(|(n, v)| format!("{n} = {v}"))
        .collect();
    if let Some(d) = &r.distribution {
        parts.push(format!("distribution of {} values", d.count));
    }
    for (n, s) in &r.series {
        parts.push(format!("series {n} ({} points)", s.points.len()));
    }
    if !r.rounds.is_empty() {
        parts.push(format!("{} rounds", r.rounds.len()));
    }
    parts.join(", ")
}

fn parse_id(id: &str) -> Id {
    Id::parse(id).unwrap_or_else(|| {
        panic!(
            "custom measurement id {id:?} is not `group/function/case` (letters, digits, `_`, `-`, `.`)"
        )
    })
}

fn scalars(id: &str, metrics: &[(&str, f64)]) -> Record {
    let mut r = Record::default();
    for (name, value) in metrics {
        assert!(
            r.metrics.insert((*name).to_string(), *value).is_none(),
            "custom metric {name} of {id} is recorded twice"
        );
    }
    r
}

/// Writes the record of `id` below `dir` and returns the file's path.
///
/// # Panics
/// As [`to_json`].
pub fn record_in(dir: &Path, id: &Id, record: &Record) -> std::io::Result<PathBuf> {
    let json = file_json(id, record);
    let path = dir
        .join(&id.group)
        .join(&id.function)
        .join(format!("{}.json", id.case));
    std::fs::create_dir_all(path.parent().expect("an id has three parts"))?;
    std::fs::write(&path, json)?;
    Ok(path)
}

/// The JSON text of a record of scalars.
///
/// # Panics
/// When `id` is not three non-empty parts `group/function/case` made of letters, digits, `_`,
/// `-` and `.`; when a metric name is not lower-case letters, digits and `_`, or appears twice;
/// when a value is not finite; or when there are no metrics at all.
pub fn to_json(id: &str, metrics: &[(&str, f64)]) -> String {
    file_json(&parse_id(id), &scalars(id, metrics))
}

fn file_json(id: &Id, record: &Record) -> String {
    if let Some(p) = record.problem() {
        panic!("custom measurement {id}: {p}");
    }
    let file = RecordFile {
        id: id.clone(),
        record: record.clone(),
    };
    serde_json::to_string(&file).expect("a record serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_the_json_the_pipeline_reads() {
        let json = to_json("timer/steps/instant", &[("min_step_ns", 18.0), ("x", 1e-7)]);
        assert_eq!(
            json,
            "{\"id\":\"timer/steps/instant\",\"metrics\":{\"min_step_ns\":18.0,\"x\":1e-7}}\n"
        );
    }

    #[test]
    fn a_record_lands_at_its_id() {
        let dir = std::env::temp_dir().join(format!("benchkit-custom-{}", std::process::id()));
        let id = Id::parse("g/f/c1").unwrap();
        let path = record_in(&dir, &id, &scalars("g/f/c1", &[("n", 3.0)])).unwrap();
        assert_eq!(path, dir.join("g/f/c1.json"));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            to_json("g/f/c1", &[("n", 3.0)])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[should_panic(expected = "is not lower-case letters")]
    fn an_artifact_name_with_a_slash_is_refused() {
        artifact("../x", "a 1\n");
    }

    #[test]
    #[should_panic(expected = "is not `group/function/case`")]
    fn an_id_of_two_parts_is_refused() {
        to_json("timer/steps", &[("n", 1.0)]);
    }

    #[test]
    #[should_panic(expected = "is not `group/function/case`")]
    fn an_id_that_climbs_out_of_the_directory_is_refused() {
        to_json("../f/c", &[("n", 1.0)]);
    }

    #[test]
    #[should_panic(expected = "not a finite number")]
    fn a_non_finite_value_is_refused() {
        to_json("g/f/c", &[("n", f64::NAN)]);
    }

    #[test]
    #[should_panic(expected = "recorded twice")]
    fn a_metric_recorded_twice_is_refused() {
        to_json("g/f/c", &[("n", 1.0), ("n", 2.0)]);
    }

    #[test]
    #[should_panic(expected = "is not lower-case letters")]
    fn a_metric_name_with_a_dot_is_refused() {
        to_json("g/f/c", &[("custom.n", 1.0)]);
    }
}
