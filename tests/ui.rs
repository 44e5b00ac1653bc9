//! Compile-fail tests for `#[metrics]` diagnostics: one diagnostic family per file in
//! `tests/ui/fail/<attribute>-<problem>.rs`, with the expected `.stderr` beside it.
//!
//! Messages depend on the compiler version; regenerate with `TRYBUILD=overwrite` and review.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
}
