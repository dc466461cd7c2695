//! `crm check [--repair] [--json]`: what is damaged in the book, and the salvage.

use std::fmt::Write;

use serde_json::{json, Value};

use super::{print, print_text, CliResult, Context, UserError};
use crate::book::check::{BadRecord, CheckReport, IndexState, RepairReport};
use crate::domain::safe_text::escaped;

pub fn run(context: &Context, repair: bool, json: bool) -> CliResult {
    if repair {
        let mut bar = super::progress::Bar::new("rebuilding the index from the journal");
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
        Err(UserError::Message(format!(
            "the book in {} is damaged: run `crm check --repair` to salvage its {}",
            context.data_dir.display(),
            count(report.records, "good record")
        )))
    }
}

/// "1 record", "2 records".
fn count(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn records_text(bad: &BadRecord) -> String {
    if bad.tail {
        "torn tail".to_string()
    } else if bad.through > bad.seq {
        format!("records {}-{}", bad.seq, bad.through)
    } else {
        format!("record {}", bad.seq)
    }
}

fn bad_line(bad: &BadRecord) -> String {
    // What a damaged record held is data: shown escaped, on one line.
    let what = bad
        .what
        .as_deref()
        .map_or("not decodable".to_string(), |w| {
            format!("was: {}", escaped(w))
        });
    format!(
        "{} at byte {} ({} bytes): {}; {}",
        records_text(bad),
        bad.offset,
        bad.length,
        escaped(&bad.reason),
        what
    )
}

fn index_line(report: &CheckReport) -> String {
    let path = report.index_path.display();
    match &report.index {
        IndexState::UpToDate { applied } => format!("index {path}: up to date (change {applied})"),
        IndexState::Behind { applied } => format!(
            "index {path}: at change {applied} of {}; the next open brings it up to date",
            report.last_seq
        ),
        IndexState::Ahead { applied } => format!(
            "index {path}: holds changes up to {applied} but the journal ends at change {}: \
             the journal has lost records",
            report.last_seq
        ),
        IndexState::Missing => {
            format!("index {path}: missing; the next open builds it from the journal")
        }
        IndexState::Damaged { reason } => format!(
            "index {path}: damaged ({}); `crm check --repair` rebuilds it from the journal",
            escaped(reason)
        ),
    }
}

pub fn render_check(report: &CheckReport) -> String {
    let mut out = String::new();
    let journal = report.journal.display();
    if report.bad.is_empty() {
        let _ = writeln!(
            out,
            "journal {journal}: {}, all good (last change {})",
            count(report.records, "record"),
            report.last_seq
        );
    } else {
        let _ = writeln!(
            out,
            "journal {journal}: {}, {} damaged:",
            count(report.records, "good record"),
            report.bad.len()
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
    if !report.repaired {
        let _ = writeln!(
            out,
            "nothing to repair: the journal's {} and the index are whole",
            count(report.kept, "record")
        );
        return out;
    }
    let _ = writeln!(
        out,
        "salvaged {} into a fresh {}",
        count(report.kept, "good record"),
        before.journal.display()
    );
    if let Some(copy) = &report.damaged_copy {
        let _ = writeln!(out, "kept the damaged journal as {}", copy.display());
    }
    for bad in &report.lost {
        let _ = writeln!(out, "lost {}", bad_line(bad));
    }
    match (&report.restored, report.lost_from_index) {
        (Some(restored), _) => {
            let _ = writeln!(
                out,
                "restored the book as the index held it at change {} ({} customers, {} users, \
                 {} cycles) as change {}: what the lost records changed is kept, only their \
                 lines in the audit trail are gone",
                restored.applied, restored.customers, restored.users, restored.cycles, restored.seq
            );
        }
        (None, Some((first, last))) => {
            let _ = writeln!(
                out,
                "lost changes {first}-{last}, which only the index held (the journal had lost them)"
            );
        }
        (None, None) => {}
    }
    if let Some(aside) = &report.index_aside {
        let _ = writeln!(
            out,
            "moved the old index to {} and rebuilt it from the journal",
            aside.display()
        );
    }
    let _ = writeln!(out, "the next change is number {}", report.next_seq);
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
