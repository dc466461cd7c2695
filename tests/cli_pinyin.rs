//! Pinyin through the command line: `crm find` finds Han names by pinyin (`--json` names
//! the reading a hit came through; the text output keeps its two fields), and `show` /
//! `log` take a pinyin query for a Chinese-named customer like its id.

use std::path::{Path, PathBuf};

mod common;

/// `crm` on the book with an empty config file; the output of a successful run.
fn ok(data: &Path, args: &[&str]) -> String {
    let config = data.with_extension("toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    common::crm_ok(data, &config, "2026-11-22", args)
}

const BOOK: &str = r#"{
  "format": "crm-book/1",
  "users": [{"login": "alice", "name": "Alice Chen", "role": "rep"}],
  "customers": [
    {"id": "c1", "name": "北京华信科技有限公司", "kind": "organization", "owner": "alice",
     "created": "2024-02-01",
     "contacts": [{"name": "王芳", "role": "buyer", "phone": "", "email": ""}]},
    {"id": "c2", "name": "张伟", "kind": "person", "owner": "alice", "created": "2024-02-01"},
    {"id": "c3", "name": "重庆银行", "kind": "organization", "owner": "alice",
     "created": "2024-02-01"},
    {"id": "c4", "name": "Acme Trading Co.", "kind": "organization", "owner": "alice",
     "created": "2024-02-01"}
  ],
  "pdca": []
}"#;

fn imported() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("book");
    let file = dir.path().join("book.json");
    std::fs::write(&file, BOOK).unwrap();
    ok(&data, &["import", file.to_str().unwrap()]);
    (dir, data)
}

#[test]
fn find_answers_pinyin_and_names_the_reading() {
    let (_dir, data) = imported();
    let text = ok(&data, &["find", "beijing"]);
    assert_eq!(text.lines().next(), Some("c1\t北京华信科技有限公司"));
    assert!(ok(&data, &["find", "bj", "huaxin"]).starts_with("c1\t"));
    assert!(ok(&data, &["find", "zhang", "w"]).starts_with("c2\t张伟\n"));
    assert!(ok(&data, &["find", "yinhang"]).starts_with("c3\t"));
    // A contact's reading.
    assert!(ok(&data, &["find", "wangfang"]).starts_with("c1\t"));
    assert_eq!(ok(&data, &["find", "acme"]), "c4\tAcme Trading Co.\n");
    assert!(ok(&data, &["find", "华信"]).starts_with("c1\t北京华信科技有限公司\n"));

    let hits: serde_json::Value =
        serde_json::from_str(&ok(&data, &["find", "bjhx", "--json"])).unwrap();
    assert_eq!(hits[0]["id"], "c1");
    assert_eq!(hits[0]["name"], "北京华信科技有限公司");
    assert!(hits[0]["score"].is_number());
    assert_eq!(
        hits[0]["reading"],
        "bei jing hua xin ke ji you xian gong si"
    );
    let hits: serde_json::Value =
        serde_json::from_str(&ok(&data, &["find", "acme", "--json"])).unwrap();
    assert!(hits[0].get("reading").is_none());
}

#[test]
fn show_and_log_resolve_a_pinyin_query() {
    let (_dir, data) = imported();
    let card: serde_json::Value =
        serde_json::from_str(&ok(&data, &["show", "zhangwei", "--json"])).unwrap();
    assert_eq!(card["id"], "c2");
    let card: serde_json::Value =
        serde_json::from_str(&ok(&data, &["show", "chongqing", "--json"])).unwrap();
    assert_eq!(card["id"], "c3");
    let card: serde_json::Value =
        serde_json::from_str(&ok(&data, &["show", "bjhx", "--json"])).unwrap();
    assert_eq!(card["id"], "c1");

    ok(
        &data,
        &[
            "log",
            "zhang wei",
            "--channel",
            "phone",
            "--direction",
            "outbound",
            "--outcome",
            "positive",
            "--note",
            "called about the renewal",
            "--at",
            "2026-11-20T10:00:00Z",
        ],
    );
    let card: serde_json::Value =
        serde_json::from_str(&ok(&data, &["show", "c2", "--json"])).unwrap();
    let recent = card["recent_interactions"].to_string();
    assert!(recent.contains("called about the renewal"), "{card}");
}
