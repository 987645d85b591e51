//! Labs for chapters 01 to 09 of the book. Each lab is one file: a starting implementation in
//! `starter/labNN.rs` that works but is slow in the way its chapter explains, which a student
//! copies (`scripts/lab.sh start`) and improves until the grader (`scripts/lab.sh grade`) finds
//! it reaches the lab's target: an instruction count, a simulated cache-miss or misprediction
//! count under callgrind. Wall-clock time is reported beside the target, for information only.
//!
//! [`mine`] is the implementation being graded, compiled from the directory `LABS_DIR` names
//! (see `build.rs`); [`start`] is always the starting code, the baseline the grader compares
//! with. [`work`] builds every lab's input and runs it; [`checks`] are the correctness checks
//! a version must pass, shared by the test suite and the grader.

pub mod checks;
pub mod work;

/// Declares one module per lab whose source comes from `$file`.
macro_rules! labs {
    ($($lab:ident: $mine:literal, $start:literal;)*) => {
        /// The implementations being graded (from `LABS_DIR`, else the starting code).
        pub mod mine {
            $(
                #[allow(missing_docs)]
                pub mod $lab {
                    include!(env!($mine));
                }
            )*
        }
        /// The starting code of every lab, unchanged: the baseline of every comparison.
        pub mod start {
            $(
                #[allow(missing_docs)]
                pub mod $lab {
                    include!($start);
                }
            )*
        }
    };
}

labs! {
    lab01: "LABS_LAB01", "../starter/lab01.rs";
    lab02: "LABS_LAB02", "../starter/lab02.rs";
    lab03: "LABS_LAB03", "../starter/lab03.rs";
    lab04: "LABS_LAB04", "../starter/lab04.rs";
    lab05: "LABS_LAB05", "../starter/lab05.rs";
    lab06: "LABS_LAB06", "../starter/lab06.rs";
    lab07: "LABS_LAB07", "../starter/lab07.rs";
    lab08: "LABS_LAB08", "../starter/lab08.rs";
    lab09: "LABS_LAB09", "../starter/lab09.rs";
}

/// The directory the graded implementations were compiled from.
pub const FROM: &str = env!("LABS_FROM");
