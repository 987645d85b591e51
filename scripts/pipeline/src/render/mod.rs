//! Render: a chapter's [`Plan`] into SVG figures, Markdown tables, claim badges, listings and
//! an experimental-setup box, each stamped with the machine that produced it.
//!
//! Every function here is pure and infallible on a plan: it returns `(relative path,
//! contents)` pairs and writes nothing, so the caller can write all of them or none. Each
//! figure kind has its own file below `plot/`.

mod plot;

use std::path::PathBuf;

use crate::claims::{Outcome, Verdict, format_ratio};
use crate::format::{self, html, html_inline};
use crate::plan::{Body, Cell, Plan, PlannedListing, PlannedTable};
use crate::results::Results;
use crate::workspace::Chapter;

/// Everything rendered for one chapter.
pub fn chapter(
    ch: &Chapter,
    plan: &Plan,
    results: &Results,
    results_file: &str,
) -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(&ch.package);
    let prov = provenance(results, results_file);
    let mut out = vec![(
        dir.join("setup.md"),
        setup_box(ch, results, results_file, plan.aa.as_ref()),
    )];
    for f in &plan.figures {
        let anchor = format!("{}-{}", ch.package, f.id);
        let described = plot::describe::figure(f);
        let body = plot::figure(f, &anchor, &described.summary);
        // An inline SVG carries its description in its own `<desc>`; an image points at the
        // paragraph below.
        let desc_id = match f.body {
            Body::Flamegraph(_) => format!(" id=\"{anchor}-desc\""),
            _ => String::new(),
        };
        let html = format!(
            "<figure class=\"bench-figure\" id=\"{anchor}\">\n{body}\n<figcaption><strong>{title}.</strong> {prov}\n<details class=\"figure-data\">\n<summary>The numbers behind this figure</summary>\n<p{desc_id}>{summary}</p>\n{table}\n</details>\n</figcaption>\n</figure>\n",
            title = html_inline(&f.title),
            summary = html(&described.summary),
            table = html_table(&described.table.0, &described.table.1),
        );
        out.push((dir.join(format!("{}.md", f.id)), html));
    }
    for l in &plan.listings {
        out.push((
            dir.join(format!("{}.md", l.id)),
            listing_md(&ch.package, l, results, &prov),
        ));
    }
    for t in &plan.tables {
        out.push((dir.join(format!("{}.md", t.id)), table_md(t, &prov)));
    }
    for (id, text) in &plan.values {
        // Inline in a sentence: the number alone, with the machine it came from on hover.
        out.push((
            dir.join(format!("value-{id}.md")),
            format!(
                "<span class=\"measured\" title=\"measured on {}\">{}</span>",
                html(&results.machine.id),
                html(text)
            ),
        ));
    }
    for o in &plan.claims {
        // The claim's sentence lives in the declaration only; the page includes it with its
        // badge where it makes the claim.
        out.push((
            dir.join(format!("claim-{}.md", o.id)),
            format!(
                "{} {}",
                o.text,
                badge(o, &results.machine.id, results.machine.mode == "quick")
            ),
        ));
    }
    if !plan.claims.is_empty() {
        out.push((dir.join("claims.md"), claims_table(&plan.claims, &prov)));
    }
    out
}

/// A table as HTML (for inside an HTML block, where Markdown tables are not read), in a
/// wrapper that scrolls sideways when it is wider than the page; one line per row.
fn html_table(head: &[String], rows: &[Vec<String>]) -> String {
    let mut s = String::from("<div class=\"table-wrapper\"><table>\n<thead><tr>");
    for h in head {
        s += &format!("<th scope=\"col\">{}</th>", html(h));
    }
    s += "</tr></thead>\n<tbody>\n";
    for r in rows {
        s += "<tr>";
        for c in r {
            s += &format!("<td>{}</td>", html(c));
        }
        s += "</tr>\n";
    }
    s + "</tbody>\n</table></div>"
}

/// One line: where, with what, in which mode, when, from which commit and file.
pub fn provenance(r: &Results, results_file: &str) -> String {
    let m = &r.machine;
    format!(
        "<span class=\"provenance\">Measured on {} · {} · {} mode · {} · commit <code>{}</code> · <code>{}</code></span>",
        html(&m.summary()),
        html(&m.rustc),
        html(&m.mode),
        html(m.day()),
        html(&m.short_commit()),
        html(results_file)
    )
}

fn setup_box(
    ch: &Chapter,
    r: &Results,
    results_file: &str,
    aa: Option<&(f64, Vec<(String, String)>)>,
) -> String {
    let m = &r.machine;
    let caches: Vec<String> = ["l1d", "l2", "l3"]
        .iter()
        .filter_map(|k| {
            m.caches
                .get(*k)
                .map(|b| format!("{} {}", k.to_uppercase(), crate::machine::human_bytes(*b)))
        })
        .collect();
    let cores = match m.physical_cores {
        Some(p) => format!("{} logical CPUs on {p} cores", m.logical_cpus),
        None => format!("{} logical CPUs", m.logical_cpus),
    };
    let rounds = r
        .benchmarks
        .values()
        .filter_map(|b| b.wall.as_ref())
        .map(|w| w.rounds.len())
        .max()
        .unwrap_or(0);
    let mode = match (m.mode.as_str(), rounds) {
        ("quick", _) => {
            "quick (short warm-up and measurement, one round; for a first look, not for publication)".to_string()
        }
        (_, n) if n > 1 => format!(
            "full (publication-length warm-up, measurement and sample count, split into {n} rounds of separate processes minutes apart; the settings are in `scripts/benchkit`, shown in the method appendix)"
        ),
        _ => "full (publication-length warm-up, measurement and sample count; the settings are in `scripts/benchkit`, shown in the method appendix)".to_string(),
    };
    let hyp = m
        .hypervisor
        .as_ref()
        .map(|h| format!(", a {h} virtual machine"))
        .unwrap_or_default();
    // The recorded facts, one sentence, only when the results carry them (older results
    // render exactly as before).
    let facts = m
        .facts
        .as_ref()
        .map(|f| {
            let mut parts = Vec::new();
            match (f.clock_ghz, f.clock_imul_ghz, f.clock_add_ghz) {
                (Some(c), _, _) if f.clock_from_card => {
                    parts.push(format!("core clock {c:.1} GHz (measured with the machine card)"))
                }
                (Some(c), _, _) => parts.push(format!("core clock {c:.1} GHz (measured)")),
                (None, Some(i), Some(a)) => parts.push(format!(
                    "core clock not determined (an imul chain gave {i:.1} GHz, an add chain {a:.1} GHz)"
                )),
                _ => {}
            }
            if let Some(hz) = f.tick_hz {
                parts.push(format!("kernel tick {hz} Hz"));
            }
            if let Some(cs) = &f.clocksource {
                parts.push(format!("clock source {cs}"));
            }
            match (&f.thp_enabled, &f.thp_defrag) {
                (Some(e), Some(d)) => parts.push(format!("THP {e} (defrag {d})")),
                (Some(e), None) => parts.push(format!("THP {e}")),
                (None, Some(d)) => parts.push(format!("THP defrag {d}")),
                (None, None) => {}
            }
            let paranoid = f.perf_event_paranoid.map(|p| format!("perf_event_paranoid {p}"));
            match (f.hardware_counters, paranoid) {
                (Some(hw), p) => parts.push(format!(
                    "hardware counters: {}{}",
                    if hw { "available" } else { "not available" },
                    p.map(|p| format!(" ({p})")).unwrap_or_default()
                )),
                (None, Some(p)) => parts.push(p),
                (None, None) => {}
            }
                        if let Some(rt) = f.realtime_allowed {
                parts.push(format!(
                    "real-time priority (SCHED_FIFO): {}",
                    if rt { "allowed" } else { "not allowed" }
                ));
            }
            if let Some(share) = rt_share(f) {
                parts.push(share);
            }
            let mut sentence = parts.join("; ");
            if let Some(first) = sentence.get(..1) {
                sentence = first.to_uppercase() + &sentence[1..];
                sentence += ". ";
            }
            sentence
        })
        .unwrap_or_default();
    // The A/A control, which qualifies every wall-clock ratio on the page.
    let aa = aa
        .map(|(spread, pairs)| {
            let names: Vec<String> = pairs
                .iter()
                .map(|(a, b)| format!("`{a}` and `{b}`"))
                .collect();
            format!(
                "A/A control: the same code under two ids ({}) differed by up to {}× in this run, intervals included; a wall-clock ratio claimed within that factor is shown as not resolved.\n\n",
                names.join("; "),
                crate::claims::format_ratio(*spread)
            )
        })
        .unwrap_or_default();
    format!(
        "<div class=\"setup-box\">\n\n\
**Experimental setup.** {cpu} ({arch}{hyp}), {cores}, {caches}, {mem} of memory, {numa} NUMA node{numa_s}; \
instruction sets: {simd}. {os}, Linux {kernel}; {rustc}; {valgrind}. \
{facts}Mode: {mode}. Measured {date} from commit `{commit}`; results in `{file}`.\n\n\
{aa}\
Reproduce on your machine: `cargo bench -p {pkg}` runs both harnesses; \
`scripts/book.sh --chapters {pkg}` also renders this page with your numbers.\n\n\
</div>\n",
        cpu = m.cpu_model,
        arch = m.arch,
        caches = caches.join(", "),
        mem = crate::machine::human_bytes(m.memory_bytes),
        numa = m.numa_nodes,
        numa_s = if m.numa_nodes == 1 { "" } else { "s" },
        simd = if m.simd.is_empty() {
            "none detected".to_string()
        } else {
            m.simd.join(", ")
        },
        os = m.os,
        kernel = m.kernel,
        rustc = m.rustc,
        valgrind = m.valgrind.as_deref().unwrap_or("no valgrind"),
        date = m.date,
        commit = m.short_commit(),
        file = results_file,
        pkg = ch.package,
    )
}

/// A claim's badge. A wall-clock claim of a quick run says that its interval is of one round
/// (full mode measures several, and its intervals span them).
fn badge(o: &Outcome, machine: &str, quick: bool) -> String {
    let (class, mark, word) = match &o.verdict {
        Verdict::SetAside(why) => {
            return format!(
                "<span class=\"claim aside\" title=\"{}: not evaluated on {}\">– not measured here: {}</span>",
                html(&o.id),
                html(machine),
                html(why)
            );
        }
        Verdict::Holds => ("claim held", "✓", "holds"),
        Verdict::Fails => ("claim failed", "✗", "does not hold"),
        Verdict::NotResolved(_) => ("claim unresolved", "?", "not resolved"),
    };
    let why = match &o.verdict {
        Verdict::NotResolved(why) => format!("; {why}"),
        _ => String::new(),
    };
    let interval = match o.interval {
        Some((lo, hi)) => format!(
            ", {} {}–{}",
            o.interval_label,
            format_ratio(lo),
            format_ratio(hi)
        ),
        None => String::new(),
    };
    let one_round = quick && o.kind == crate::claims::Kind::WallClock;
    format!(
        "<span class=\"{class}\" title=\"{}: {} = {}{interval} (claim {}) on {}{}{}\">{mark} {word} here: {} (claim {}){}</span>",
        html(&o.id),
        html(&o.expression),
        format_ratio(o.measured),
        html(&o.threshold),
        html(machine),
        html(&why),
        if one_round {
            "; quick mode: one round, so the interval does not include the spread between rounds"
        } else {
            ""
        },
        html(&o.measured_cell()),
        html(&o.threshold),
        if one_round { ", one round" } else { "" },
    )
}

/// The claims of one chapter as a table.
fn claims_table(outcomes: &[Outcome], prov: &str) -> String {
    let mut s =
        String::from("| Claim | Measured | Threshold | Kind | Result |\n|---|--:|--:|---|---|\n");
    for o in outcomes {
        s += &format!(
            "| {} <br><small>{}</small> | {} | {} | {} | {} |\n",
            o.text.replace('|', "\\|"),
            o.expression.replace('|', "\\|"),
            o.measured_cell(),
            o.threshold,
            o.kind.describe(),
            o.verdict_cell()
        );
    }
    s + "\n" + prov + "\n"
}

/// Every chapter's claims in one table: `(chapter, machine id, outcomes)`.
pub fn claims_overview<'a>(
    chapters: impl Iterator<Item = (&'a str, &'a str, &'a [Outcome])>,
) -> String {
    let chapters: Vec<(&str, &str, &[Outcome])> = chapters.collect();
    let mut counts = [0usize; 4];
    for o in chapters.iter().flat_map(|c| c.2.iter()) {
        counts[match o.verdict {
            Verdict::Holds => 0,
            Verdict::Fails => 1,
            Verdict::NotResolved(_) => 2,
            Verdict::SetAside(_) => 3,
        }] += 1;
    }
    let mut s = format!(
        "Of {} claims: **{} hold**, **{} do not hold**, **{} are not resolved** (the measurement cannot tell), and {} were not measured on the machine that produced the results.\n\n",
        counts.iter().sum::<usize>(),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    s += "| Chapter | Claim | Measured | Threshold | Kind | Result |\n|---|---|--:|--:|---|---|\n";
    for (ch, machine, outs) in chapters {
        for o in outs {
            s += &format!(
                "| {ch} | {} | {} | {} | {} | {} on `{machine}` |\n",
                o.text.replace('|', "\\|"),
                o.measured_cell(),
                o.threshold,
                o.kind.short(),
                o.verdict_cell(),
            );
        }
    }
    s
}

fn table_md(t: &PlannedTable, prov: &str) -> String {
    let mut s = format!("| {} |", t.row_heading);
    let mut align = String::from("|---|");
    for c in &t.columns {
        s += &format!(" {c} |");
        align += "--:|";
    }
    s += "\n";
    s += &align;
    s += "\n";
    for (label, cells) in &t.rows {
        s += &format!("| {label} |");
        for c in cells {
            let cell = match c {
                Cell::Ratio(r) => format!("{}×", format_ratio(*r)),
                Cell::Value(v, unit) => format::value(*v, unit),
            };
            s += &format!(" {cell} |");
        }
        s += "\n";
    }
    s + "\n" + prov + "\n"
}

/// A listing: a code block with a caption saying where its text came from.
fn listing_md(pkg: &str, l: &PlannedListing, r: &Results, prov: &str) -> String {
    let source = match &l.symbol {
        Some(sym) => format!(
            "The compiler's code for <code>{}</code>, from <code>cargo rustc --release --emit asm</code> of the chapter's library{}; assembler directives removed.",
            html(sym),
            if r.machine.arch == "x86_64" {
                " (Intel syntax)"
            } else {
                ""
            }
        ),
        None => format!(
            "Text the benchmark stored as <code>{}</code>.",
            html(&l.artifact)
        ),
    };
    let fence = if l.text.contains("```") {
        "~~~~"
    } else {
        "```"
    };
    format!(
        "<figure class=\"bench-listing\" id=\"{pkg}-{id}\">\n\n{fence}{lang}\n{body}\n{fence}\n\n<figcaption><strong>{title}.</strong> {source} {prov}</figcaption>\n</figure>\n",
        id = l.id,
        lang = l.lang,
        body = l.text.trim_end(),
        title = html_inline(&l.title),
    )
}

/// The real-time share of a machine's facts, in words ("real-time share 950 ms of every
/// 1.00 s"), when both parts were recorded.
pub fn rt_share(f: &crate::machine::Facts) -> Option<String> {
    let period = f.rt_period_us?;
    Some(match f.rt_runtime_us? {
        r if r < 0 => "real-time share: no limit".to_string(),
        r => {
            let us = |x: f64| {
                let ns = x * 1e3;
                format::value(ns, format::auto_time_unit(ns))
            };
            format!(
                "real-time share {} of every {}",
                us(r as f64),
                us(period as f64)
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::rt_share;
    use crate::machine::Facts;

    #[test]
    fn the_real_time_share_reads_in_the_units_of_its_size() {
        let mut f = Facts {
            rt_runtime_us: Some(950_000),
            rt_period_us: Some(1_000_000),
            ..Facts::default()
        };
        assert_eq!(
            rt_share(&f).as_deref(),
            Some("real-time share 950 ms of every 1.00 s")
        );
        f.rt_runtime_us = Some(-1);
        assert_eq!(rt_share(&f).as_deref(), Some("real-time share: no limit"));
        f.rt_period_us = None;
        assert_eq!(rt_share(&f), None);
    }
}
