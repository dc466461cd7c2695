//! The words and styles the PDCA screens share (the review list, a cycle's page, their
//! charts): one leaf file, so those screens use each other's words without a circle.

use jiff::civil::Date;
use ratatui::style::Style;

use crate::domain::model::Scope;
use crate::domain::model::{Cycle, Metric, Phase};
use crate::domain::pdca::check_overdue;
use crate::domain::pdca_metrics::format_value;
use crate::i18n::{t, tr};
use crate::tui::app::App;
use crate::tui::text;
use crate::tui::theme::Theme;

/// "met" or "not met".
pub fn met_words(met: bool) -> String {
    t(if met { "pdca-met" } else { "pdca-not-met" })
}

/// A value for a narrow column: shares as whole percentages, money compact, counts whole.
pub fn short(metric: Option<Metric>, value: f64) -> String {
    match metric {
        Some(Metric::RetentionRate | Metric::ShareOfWallet) => text::percent(value),
        Some(Metric::AvgSatisfaction | Metric::ContactsPerCustomer) => format!("{value:.2}"),
        Some(Metric::Margin12m) => text::compact(value),
        Some(_) => format!("{value:.0}"),
        None => format!("{value:.2}"),
    }
}

/// A value in full, as the CLI prints it.
pub fn full(metric: Option<Metric>, value: f64) -> String {
    match metric {
        Some(m) => format_value(m, value),
        None => format!("{value:.2}"),
    }
}

/// Style of a cycle's phase: what needs a look stands out, what is closed recedes.
pub fn phase_style(cycle: &Cycle, as_of: Date, theme: &Theme) -> Style {
    if check_overdue(cycle, as_of) {
        theme.bad
    } else {
        match cycle.phase {
            Phase::Check | Phase::Act => theme.warn,
            Phase::Closed => theme.muted,
            Phase::Plan | Phase::Do => theme.good,
        }
    }
}

/// The scope as a person reads it: a customer by name when the book list knows it.
pub fn scope_words(app: &App, cycle: &Cycle) -> String {
    match &cycle.scope {
        Scope::Customer(id) => app
            .list
            .get(id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| scope_phrase(&cycle.scope)),
        scope => scope_phrase(scope),
    }
}

/// The scope in words ("Segment trade", "Owner bob's book"), never its command-line
/// spelling (`segment:trade`), which `i18n::scope_text` keeps for the command line.
pub fn scope_phrase(scope: &Scope) -> String {
    match scope {
        Scope::Book => t("pick-scope-book"),
        Scope::Customer(id) => tr("words-scope-customer", &[("id", id)]),
        Scope::Owner(login) => tr("pick-scope-owner", &[("login", login)]),
        Scope::Segment(name) => tr("pick-scope-segment", &[("name", name)]),
    }
}
