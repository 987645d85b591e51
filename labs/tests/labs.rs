//! Every lab's correctness checks, on the implementations `LABS_DIR` names (the starting code
//! when it is unset): `cargo test -p labs`, or `LABS_DIR=labs/mine cargo test -p labs`.

macro_rules! checks {
    ($($lab:ident),*) => {$(
        #[test]
        fn $lab() {
            let failures = labs::checks::$lab();
            assert!(failures.is_empty(), "{} (from {}):\n{}", stringify!($lab), labs::FROM, failures.join("\n"));
        }
    )*};
}

checks!(
    lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08, lab09
);
