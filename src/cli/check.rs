//! `crm check [--repair] [--json]`: what is damaged in the book, and the salvage.

use std::fmt::Write;

use serde_json::{json, Value};

use super::{print, print_text, CliResult, Context, UserError};
use crate::book::check::{BadRecord, CheckReport, IndexState, RepairReport};
use crate::domain::safe_text::escaped;
use crate::i18n::{t, tr};

pub fn run(context: &Context, repair: bool, json: bool) -> CliResult {
    let command = if repair {
        "crm check --repair"
    } else {
        "crm check"
    };
    super::backend::require_unserved(context, command)?;
    if repair {
        let mut bar = super::progress::Bar::new(t("repair-progress"));
        let report = context
            .shelf()
            .repair(&mut |done, total| bar.set(done, total))?;
        bar.finish();
        return if json {
            print(&(serde_json::to_string_pretty(&repair_json(&report))? + "\n"))
        } else {
            print_text(&render_repair(&report))
        };
    }
    let report = context.shelf().check()?;
    if json {
        print(&(serde_json::to_string_pretty(&check_json(&report))? + "\n"))?;
    } else {
        print_text(&render_check(&report))?;
    }
    if report.is_clean() {
        Ok(())
    } else {
        Err(UserError::Message(tr(
            "check-damaged-error",
            &[
                ("dir", &context.data_dir.display().to_string()),
                ("records", &good_records(report.records)),
            ],
        )))
    }
}

/// "1 record", "2 records" in the reader's language.
fn records(n: u64) -> String {
    match n {
        1 => t("check-record-one"),
        n => tr("check-records", &[("n", &n.to_string())]),
    }
}

/// "1 good record", "2 good records" in the reader's language.
fn good_records(n: u64) -> String {
    match n {
        1 => t("check-good-record-one"),
        n => tr("check-good-records", &[("n", &n.to_string())]),
    }
}

fn records_text(bad: &BadRecord) -> String {
    if bad.tail {
        t("check-torn-tail")
    } else if bad.through > bad.seq {
        tr(
            "check-records-range",
            &[
                ("from", &bad.seq.to_string()),
                ("to", &bad.through.to_string()),
            ],
        )
    } else {
        tr("check-record", &[("seq", &bad.seq.to_string())])
    }
}

fn bad_line(bad: &BadRecord) -> String {
    // What a damaged record held is data: shown escaped, on one line.
    let what = bad.what.as_deref().map_or_else(
        || t("check-not-decodable"),
        |w| tr("check-was", &[("what", &escaped(w))]),
    );
    tr(
        "check-bad-line",
        &[
            ("records", &records_text(bad)),
            ("offset", &bad.offset.to_string()),
            ("length", &bad.length.to_string()),
            ("reason", &escaped(&bad.reason)),
            ("what", &what),
        ],
    )
}

fn index_line(report: &CheckReport) -> String {
    let path = report.index_path.display().to_string();
    let last = report.last_seq.to_string();
    match &report.index {
        IndexState::UpToDate { applied } => tr(
            "check-index-up-to-date",
            &[("path", &path), ("applied", &applied.to_string())],
        ),
        IndexState::Behind { applied } => tr(
            "check-index-behind",
            &[
                ("path", &path),
                ("applied", &applied.to_string()),
                ("last", &last),
            ],
        ),
        IndexState::Ahead { applied } => tr(
            "check-index-ahead",
            &[
                ("path", &path),
                ("applied", &applied.to_string()),
                ("last", &last),
            ],
        ),
        IndexState::Missing => tr("check-index-missing", &[("path", &path)]),
        IndexState::Damaged { reason } => tr(
            "check-index-damaged",
            &[("path", &path), ("reason", &escaped(reason))],
        ),
    }
}

pub fn render_check(report: &CheckReport) -> String {
    let mut out = String::new();
    let journal = report.journal.display().to_string();
    if report.bad.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            tr(
                "check-journal-good",
                &[
                    ("path", &journal),
                    ("records", &records(report.records)),
                    ("last", &report.last_seq.to_string()),
                ],
            )
        );
    } else {
        let _ = writeln!(
            out,
            "{}",
            tr(
                "check-journal-damaged",
                &[
                    ("path", &journal),
                    ("records", &good_records(report.records)),
                    ("bad", &report.bad.len().to_string()),
                ],
            )
        );
        for bad in &report.bad {
            let _ = writeln!(out, "  {}", bad_line(bad));
        }
    }
    let _ = writeln!(out, "{}", index_line(report));
    out
}

pub fn render_repair(report: &RepairReport) -> String {
    let mut out = String::new();
    let before = &report.before;
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    if !report.repaired {
        line(tr("repair-nothing", &[("records", &records(report.kept))]));
        return out;
    }
    line(tr(
        "repair-salvaged",
        &[
            ("records", &good_records(report.kept)),
            ("path", &before.journal.display().to_string()),
        ],
    ));
    if let Some(copy) = &report.damaged_copy {
        line(tr(
            "repair-kept-copy",
            &[("path", &copy.display().to_string())],
        ));
    }
    for bad in &report.lost {
        line(tr("repair-lost", &[("line", &bad_line(bad))]));
    }
    match (&report.restored, report.lost_from_index) {
        (Some(restored), _) => line(tr(
            "repair-restored",
            &[
                ("applied", &restored.applied.to_string()),
                ("customers", &restored.customers.to_string()),
                ("users", &restored.users.to_string()),
                ("cycles", &restored.cycles.to_string()),
                ("seq", &restored.seq.to_string()),
            ],
        )),
        (None, Some((first, last))) => line(tr(
            "repair-lost-changes",
            &[("first", &first.to_string()), ("last", &last.to_string())],
        )),
        (None, None) => {}
    }
    if let Some(aside) = &report.index_aside {
        line(tr(
            "repair-index-aside",
            &[("path", &aside.display().to_string())],
        ));
    }
    line(tr("repair-next", &[("seq", &report.next_seq.to_string())]));
    out
}

fn bad_json(bad: &BadRecord) -> Value {
    json!({
        "seq": bad.seq,
        "through": bad.through,
        "offset": bad.offset,
        "length": bad.length,
        "reason": bad.reason,
        "what": bad.what,
        "torn_tail": bad.tail,
    })
}

pub fn check_json(report: &CheckReport) -> Value {
    let (state, applied, reason) = match &report.index {
        IndexState::UpToDate { applied } => ("up_to_date", Some(*applied), None),
        IndexState::Behind { applied } => ("behind", Some(*applied), None),
        IndexState::Ahead { applied } => ("ahead", Some(*applied), None),
        IndexState::Missing => ("missing", None, None),
        IndexState::Damaged { reason } => ("damaged", None, Some(reason.clone())),
    };
    json!({
        "clean": report.is_clean(),
        "journal": report.journal,
        "framing": report.framing,
        "records": report.records,
        "last_seq": report.last_seq,
        "bad": report.bad.iter().map(bad_json).collect::<Vec<_>>(),
        "index": {
            "path": report.index_path,
            "state": state,
            "applied": applied,
            "reason": reason,
        },
    })
}

pub fn repair_json(report: &RepairReport) -> Value {
    json!({
        "repaired": report.repaired,
        "kept": report.kept,
        "lost": report.lost.iter().map(bad_json).collect::<Vec<_>>(),
        "lost_from_index": report.lost_from_index.map(|(first, last)| json!({
            "first": first,
            "last": last,
        })),
        "restored": report.restored.as_ref().map(|r| json!({
            "applied": r.applied,
            "seq": r.seq,
            "customers": r.customers,
            "users": r.users,
            "cycles": r.cycles,
        })),
        "damaged_copy": report.damaged_copy,
        "index_aside": report.index_aside,
        "next_seq": report.next_seq,
    })
}
