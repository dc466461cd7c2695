//! What `crm pdca list` and `crm pdca show` print: the plain-text tables and the JSON of
//! `show` (docs/pdca.md).

use std::fmt::Write;

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::model::{ActDecision, CheckResult, Cycle, CycleId, Metric, Phase};
use crate::domain::pdca;
use crate::domain::pdca_metrics::format_value;
use crate::domain::safe_text::escaped;

pub(super) fn metric_code(cycle: &Cycle) -> &'static str {
    cycle.metric.map_or("no metric", Metric::code)
}

pub(super) fn value_of(cycle: &Cycle, value: Option<f64>) -> String {
    match (cycle.metric, value) {
        (Some(metric), Some(value)) => format_value(metric, value),
        (None, Some(value)) => format!("{value}"),
        (_, None) => "-".to_string(),
    }
}

pub(super) fn met_word(result: &CheckResult) -> &'static str {
    if result.met {
        "met"
    } else {
        "not met"
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

pub(super) fn render_list(cycles: &[Cycle], as_of: Date) -> String {
    if cycles.is_empty() {
        return "no PDCA cycle (plan one with `crm pdca new`)\n".to_string();
    }
    let mut out = format!(
        "{:>4}  {:<7} {:<22} {:>10} {:>10} {:>18}  {:<11} {}\n",
        "id", "phase", "metric", "baseline", "target", "result", "check", "title"
    );
    for c in cycles {
        let result = c.result.as_ref().map_or("-".to_string(), |r| {
            format!("{} {}", value_of(c, Some(r.value)), met_word(r))
        });
        let check = match c.check_date {
            Some(date) if pdca::check_overdue(c, as_of) => format!("{date}!"),
            Some(date) => date.to_string(),
            None => "-".to_string(),
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<7} {:<22} {:>10} {:>10} {:>18}  {:<11} {}",
            c.id,
            c.phase.code(),
            metric_code(c),
            value_of(c, c.baseline),
            value_of(c, c.target),
            result,
            check,
            escaped(&c.title)
        );
    }
    out
}

pub(super) fn render_show(view: &ShowJson) -> String {
    let c = &view.cycle;
    let mut out = String::new();
    let _ = writeln!(out, "Cycle {}  {}  [{}]", c.id, escaped(&c.title), c.phase);
    let _ = writeln!(
        out,
        "Scope      {}   owner {}   planned {}",
        escaped(&pdca::scope_label(&c.scope)),
        escaped(&c.owner),
        c.created
    );
    let check = match c.check_date {
        Some(date) if view.check_overdue => format!(", check on {date} (overdue)"),
        Some(date) => format!(", check on {date}"),
        None => ", no check date".to_string(),
    };
    let _ = writeln!(
        out,
        "Goal       {} {} from {} (baseline) to {} (target){check}",
        c.direction,
        metric_code(c),
        value_of(c, c.baseline),
        value_of(c, c.target)
    );
    let _ = writeln!(
        out,
        "Now        {}  (as of {})",
        value_of(c, view.measured_now),
        view.as_of
    );
    for (i, line) in c.plan_notes.lines().enumerate() {
        let label = if i == 0 { "Plan" } else { "" };
        let _ = writeln!(out, "{label:<10} {}", escaped(line));
    }
    if c.actions.is_empty() {
        let _ = writeln!(
            out,
            "Actions    (none: add one with `crm pdca add-action {} TEXT`)",
            c.id
        );
    }
    for (i, action) in c.actions.iter().enumerate() {
        let label = if i == 0 { "Actions" } else { "" };
        let mark = if action.done.is_some() { "x" } else { " " };
        let due = action.due.map(|d| format!("  due {d}")).unwrap_or_default();
        let done = action
            .done
            .map(|d| format!("  done {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{label:<10} {}. [{mark}] {}{due}{done}",
            i + 1,
            escaped(&action.text)
        );
    }
    if let Some(result) = &c.result {
        let _ = writeln!(
            out,
            "Result     {}, {} (checked {})",
            value_of(c, Some(result.value)),
            met_word(result),
            result.on
        );
    }
    if let Some(decision) = c.decision {
        let _ = writeln!(out, "Decision   {decision}");
    }
    if !c.lessons.is_empty() {
        let _ = writeln!(out, "Lessons    {}", escaped(&c.lessons));
    }
    if view.chain.len() > 1 {
        let _ = writeln!(out, "\nChain (oldest first)");
        for link in &view.chain {
            let fmt = |v: Option<f64>| match (link.metric, v) {
                (Some(m), Some(v)) => format_value(m, v),
                (None, Some(v)) => format!("{v}"),
                (_, None) => "-".to_string(),
            };
            let result = link.result.as_ref().map_or("-".to_string(), |r| {
                format!("{} {}", fmt(Some(r.value)), met_word(r))
            });
            let decision = link.decision.map_or("-", ActDecision::code);
            let here = if link.id == c.id {
                "  <- this cycle"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {:>4}  {:<7} baseline {:>10}  result {:>18}  {}{here}",
                link.id,
                link.phase.code(),
                fmt(link.baseline),
                result,
                decision
            );
        }
    }
    out
}
