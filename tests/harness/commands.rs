//! The tests that run the `crm` binary as a user would, in one test binary (see
//! Cargo.toml: fewer binaries, less to compile and link). Each file of tests/ is a module.

// Each file keeps its own `mod common;` (tests/common), so the files stay as they were.
#![allow(clippy::duplicate_mod)]

#[path = "../cli.rs"]
mod cli;
#[path = "../cli_chinese.rs"]
mod cli_chinese;
#[path = "../cli_pinyin.rs"]
mod cli_pinyin;
#[path = "../console_doc.rs"]
mod console_doc;
#[path = "../crash_cli.rs"]
mod crash_cli;
#[path = "../demo_coverage.rs"]
mod demo_coverage;
#[path = "../examples.rs"]
mod examples;
#[path = "../first_run.rs"]
mod first_run;
#[path = "../layering.rs"]
mod layering;
#[path = "../pdca.rs"]
mod pdca;
#[path = "../private_files.rs"]
mod private_files;
#[path = "../serve.rs"]
mod serve;
#[path = "../sync.rs"]
mod sync;
#[path = "../sync_cli.rs"]
mod sync_cli;
#[path = "../team_pg.rs"]
mod team_pg;
#[path = "../team_server.rs"]
mod team_server;
#[path = "../terminal_safe.rs"]
mod terminal_safe;
#[path = "../users.rs"]
mod users;
#[path = "../users_real.rs"]
mod users_real;

/// Every file of tests/ is compiled: a module of a harness here, or a test of its own in
/// Cargo.toml (autotests are off, so a new file would otherwise be silently skipped).
#[test]
fn every_test_file_is_part_of_a_test_binary() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut registered = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for harness in std::fs::read_dir(root.join("tests/harness")).unwrap() {
        registered.push_str(&std::fs::read_to_string(harness.unwrap().path()).unwrap());
    }
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") {
            continue;
        }
        let as_module = format!("#[path = \"../{name}\"]");
        let as_test = format!("path = \"tests/{name}\"");
        if !registered.contains(&as_module) && !registered.contains(&as_test) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "tests/{missing:?} run nowhere: add each to a tests/harness/*.rs (or a [[test]] in Cargo.toml)"
    );
}
