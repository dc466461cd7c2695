//! `crm audit`: who changed what and when, from the journal, within what the session
//! reaches (an admin: everything).

use std::fmt::Write;

use jiff::tz::TimeZone;

use super::{print, print_text, CliResult, Context};
use crate::book::audit::{AuditEntry, AuditFilter};
use crate::domain::safe_text::{escaped, tsv_field};

/// `customer`: an id or a query naming one customer; `user`: whose changes (the global
/// `--user`, given on this command line); `since`: from this instant on.
pub fn run(
    context: &Context,
    customer: Option<&str>,
    user: Option<&str>,
    since: Option<jiff::Timestamp>,
    json: bool,
) -> CliResult {
    context.require_book()?;
    let mut api = super::backend::open(context)?;
    let customer = match customer {
        Some(query) => Some(api.resolve(query)?),
        None => None,
    };
    let filter = AuditFilter {
        customer,
        user: user.map(str::to_string),
        since,
        last: None,
    };
    let entries = api.audit(&filter)?;
    if json {
        return print(&(serde_json::to_string_pretty(&entries)? + "\n"));
    }
    if entries.is_empty() {
        eprintln!("crm: {}", crate::i18n::t("audit-nothing"));
    }
    print_text(&render(&entries))
}

/// `seq  local time  login  what`, tab-separated, oldest first; "-" for a change made
/// before the journal named who made it.
pub fn render(entries: &[AuditEntry]) -> String {
    let mut out = String::new();
    for entry in entries {
        let user = if entry.user.is_empty() {
            "-".to_string()
        } else {
            tsv_field(&entry.user).into_owned()
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{user}\t{}",
            entry.seq,
            local_minute(entry.at),
            tsv_field(&entry.description)
        );
    }
    out
}

/// `YYYY-MM-DD HH:MM` in the local time zone.
pub fn local_minute(at: jiff::Timestamp) -> String {
    at.to_zoned(TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The card's history section lines (`crm show`): newest last.
pub fn history_lines(entries: &[AuditEntry]) -> String {
    let mut out = String::new();
    for entry in entries {
        let user = if entry.user.is_empty() {
            "-"
        } else {
            &entry.user
        };
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            local_minute(entry.at),
            escaped(user),
            escaped(&entry.description)
        );
    }
    out
}
