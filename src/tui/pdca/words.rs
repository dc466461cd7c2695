//! The words and styles the PDCA screens share (the review list, a cycle's page, their
//! charts): one leaf file, so those screens use each other's words without a circle.

use jiff::civil::Date;
use ratatui::style::Style;

use crate::domain::model::{Cycle, Metric, Phase};
use crate::domain::pdca::check_overdue;
use crate::domain::pdca_metrics::format_value;
use crate::i18n::{scope_text, t};
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
        crate::domain::model::Scope::Customer(id) => app
            .list
            .get(id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| scope_text(&cycle.scope)),
        scope => scope_text(scope),
    }
}
