//! What `crm pdca list` and `crm pdca show` print: the plain-text tables and the JSON of
//! `show` (docs/pdca.md).

use std::fmt::Write;

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::model::{ActDecision, CheckResult, Cycle, CycleId, Metric, Phase};
use crate::domain::pdca;
use crate::domain::pdca_metrics::format_value;
use crate::domain::safe_text::escaped;
use crate::i18n::{
    decision_label, goal_direction_label, metric_label, phase_label, scope_text, t, tr,
};

pub(super) fn value_of(cycle: &Cycle, value: Option<f64>) -> String {
    match (cycle.metric, value) {
        (Some(metric), Some(value)) => format_value(metric, value),
        (None, Some(value)) => format!("{value}"),
        (_, None) => "-".to_string(),
    }
}

#[derive(Serialize)]
pub(super) struct ShowJson {
    pub as_of: Date,
    pub cycle: Cycle,
    /// The goal metric measured as of `as_of`; null when it cannot be measured.
    pub measured_now: Option<f64>,
    pub check_overdue: bool,
    /// The cycles of the spiral this one belongs to, oldest first (itself included).
    pub chain: Vec<ChainLink>,
}

#[derive(Serialize)]
pub(super) struct ChainLink {
    id: CycleId,
    title: String,
    phase: Phase,
    created: Date,
    metric: Option<Metric>,
    baseline: Option<f64>,
    target: Option<f64>,
    result: Option<CheckResult>,
    decision: Option<ActDecision>,
}

impl From<&Cycle> for ChainLink {
    fn from(c: &Cycle) -> Self {
        ChainLink {
            id: c.id,
            title: c.title.clone(),
            phase: c.phase,
            created: c.created,
            metric: c.metric,
            baseline: c.baseline,
            target: c.target,
            result: c.result.clone(),
            decision: c.decision,
        }
    }
}

/// `text` padded to `cols` display columns on the right (`left`) or the left.
fn pad(text: &str, cols: usize, left: bool) -> String {
    let fill = " ".repeat(cols.saturating_sub(unicode_width::UnicodeWidthStr::width(text)));
    if left {
        format!("{text}{fill}")
    } else {
        format!("{fill}{text}")
    }
}

/// The metric's name in the reader's language ("no metric" when none).
fn metric_text(cycle: &Cycle) -> String {
    cycle
        .metric
        .map_or_else(|| t("pdca-no-metric"), metric_label)
}

fn met_text(result: &CheckResult) -> String {
    t(if result.met {
        "pdca-met"
    } else {
        "pdca-not-met"
    })
}

/// A label of the left column of `show`, padded to the ten columns the English ones fill.
fn label(key: &str) -> String {
    pad(&t(key), 10, true)
}

pub(super) fn render_list(cycles: &[Cycle], as_of: Date) -> String {
    if cycles.is_empty() {
        return t("cli-pdca-none") + "\n";
    }
    let mut out = format!(
        "{:>4}  {} {} {} {} {}  {} {}\n",
        "id",
        pad(&t("cli-pdca-col-phase"), 7, true),
        pad(&t("cli-pdca-col-metric"), 22, true),
        pad(&t("cli-pdca-col-baseline"), 10, false),
        pad(&t("cli-pdca-col-target"), 10, false),
        pad(&t("cli-pdca-col-result"), 18, false),
        pad(&t("cli-pdca-col-check"), 11, true),
        t("cli-pdca-col-title")
    );
    for c in cycles {
        let result = c.result.as_ref().map_or("-".to_string(), |r| {
            format!("{} {}", value_of(c, Some(r.value)), met_text(r))
        });
        let check = match c.check_date {
            Some(date) if pdca::check_overdue(c, as_of) => format!("{date}!"),
            Some(date) => date.to_string(),
            None => "-".to_string(),
        };
        let _ = writeln!(
            out,
            "{:>4}  {} {} {:>10} {:>10} {}  {:<11} {}",
            c.id,
            pad(&phase_label(c.phase), 7, true),
            pad(&metric_text(c), 22, true),
            value_of(c, c.baseline),
            value_of(c, c.target),
            pad(&result, 18, false),
            check,
            escaped(&c.title)
        );
    }
    out
}

pub(super) fn render_show(view: &ShowJson) -> String {
    let c = &view.cycle;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        tr(
            "cli-pdca-cycle",
            &[
                ("id", &c.id.to_string()),
                ("title", &escaped(&c.title)),
                ("phase", &phase_label(c.phase)),
            ],
        )
    );
    let _ = writeln!(
        out,
        "{} {}",
        label("cli-pdca-scope"),
        tr(
            "cli-pdca-scope-line",
            &[
                ("scope", &escaped(&scope_text(&c.scope))),
                ("owner", &escaped(&c.owner)),
                ("date", &c.created.to_string()),
            ],
        )
    );
    let check = match c.check_date {
        Some(date) if view.check_overdue => {
            tr("cli-pdca-check-overdue", &[("date", &date.to_string())])
        }
        Some(date) => tr("cli-pdca-check-on", &[("date", &date.to_string())]),
        None => t("cli-pdca-no-check"),
    };
    let _ = writeln!(
        out,
        "{} {}",
        label("cli-pdca-goal"),
        tr(
            "cli-pdca-goal-line",
            &[
                ("direction", &goal_direction_label(c.direction)),
                ("metric", &metric_text(c)),
                ("baseline", &value_of(c, c.baseline)),
                ("target", &value_of(c, c.target)),
                ("check", &check),
            ],
        )
    );
    let _ = writeln!(
        out,
        "{} {}",
        label("cli-pdca-now"),
        tr(
            "cli-pdca-now-line",
            &[
                ("value", &value_of(c, view.measured_now)),
                ("date", &view.as_of.to_string()),
            ],
        )
    );
    for (i, line) in c.plan_notes.lines().enumerate() {
        let head = if i == 0 {
            label("cli-pdca-plan")
        } else {
            pad("", 10, true)
        };
        let _ = writeln!(out, "{head} {}", escaped(line));
    }
    if c.actions.is_empty() {
        let _ = writeln!(
            out,
            "{} {}",
            label("cli-pdca-actions"),
            tr("cli-pdca-no-actions", &[("id", &c.id.to_string())])
        );
    }
    for (i, action) in c.actions.iter().enumerate() {
        let head = if i == 0 {
            label("cli-pdca-actions")
        } else {
            pad("", 10, true)
        };
        let mark = if action.done.is_some() { "x" } else { " " };
        let due = action
            .due
            .map(|d| tr("cli-pdca-due", &[("date", &d.to_string())]))
            .unwrap_or_default();
        let done = action
            .done
            .map(|d| tr("cli-pdca-done", &[("date", &d.to_string())]))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{head} {}. [{mark}] {}{due}{done}",
            i + 1,
            escaped(&action.text)
        );
    }
    if let Some(result) = &c.result {
        let _ = writeln!(
            out,
            "{} {}",
            label("cli-pdca-result"),
            tr(
                "cli-pdca-result-line",
                &[
                    ("value", &value_of(c, Some(result.value))),
                    ("met", &met_text(result)),
                    ("date", &result.on.to_string()),
                ],
            )
        );
    }
    if let Some(decision) = c.decision {
        let _ = writeln!(
            out,
            "{} {}",
            label("cli-pdca-decision"),
            decision_label(decision)
        );
    }
    if !c.lessons.is_empty() {
        let _ = writeln!(out, "{} {}", label("cli-pdca-lessons"), escaped(&c.lessons));
    }
    if view.chain.len() > 1 {
        let _ = writeln!(out, "\n{}", t("cli-pdca-chain"));
        for link in &view.chain {
            let fmt = |v: Option<f64>| match (link.metric, v) {
                (Some(m), Some(v)) => format_value(m, v),
                (None, Some(v)) => format!("{v}"),
                (_, None) => "-".to_string(),
            };
            let result = link.result.as_ref().map_or("-".to_string(), |r| {
                format!("{} {}", fmt(Some(r.value)), met_text(r))
            });
            let decision = link
                .decision
                .map_or_else(|| "-".to_string(), decision_label);
            let here = if link.id == c.id {
                t("cli-pdca-this")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {:>4}  {} {}",
                link.id,
                pad(&phase_label(link.phase), 7, true),
                tr(
                    "cli-pdca-chain-line",
                    &[
                        ("baseline", &format!("{:>10}", fmt(link.baseline))),
                        ("result", &pad(&result, 18, false)),
                        ("decision", &decision),
                        ("here", &here),
                    ],
                )
            );
        }
    }
    out
}
