//! `card --out FILE --dir DIR`: measures this machine's card in the mode `BOOK_MODE` names
//! (full when unset) and writes its entries to FILE as JSON; the durable-write test writes its
//! file in DIR. The pipeline (`book card`) runs it and stores the entries with the machine's
//! description; run by hand, it prints each entry as it is measured.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut out: Option<PathBuf> = None;
    let mut dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--dir" => dir = args.next().map(PathBuf::from),
            _ => {
                eprintln!(
                    "usage: card [--out FILE] [--dir DIR]  (mode from BOOK_MODE: quick or full)"
                );
                std::process::exit(2);
            }
        }
    }
    let mode = bookproto::Mode::from_env();
    let dir = dir.unwrap_or_else(std::env::temp_dir);
    let started = Instant::now();
    let entries = card::measure(mode, &dir, |e| {
        let median = e
            .median
            .map_or(String::new(), |m| format!(" (median {m:.3})"));
        eprintln!(
            "[card {:>5.1} s] {:<28} {:.3} {}{median}",
            started.elapsed().as_secs_f64(),
            e.id,
            e.value,
            e.unit
        );
    })
    .unwrap_or_else(|e| {
        eprintln!(
            "card: the durable-write measurement in {} failed: {e}",
            dir.display()
        );
        std::process::exit(1);
    });
    for e in &entries {
        if let Some(p) = e.problem() {
            eprintln!("card: {p}");
            std::process::exit(1);
        }
    }
    let text = serde_json::to_string_pretty(&entries).expect("entries serialise") + "\n";
    match out {
        Some(path) => std::fs::write(&path, text).unwrap_or_else(|e| {
            eprintln!("card: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }),
        None => print!("{text}"),
    }
}
