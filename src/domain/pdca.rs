//! The PDCA cycle state machine (DOMAIN.md §7): Plan → Do → Check → Act → closed, with
//! every transition and edit checked and refused with a reason a person can act on.
//! What the metrics measure lives in `pdca_metrics.rs`; this file only judges and moves.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::model::{
    ActDecision, CheckResult, Cycle, CycleAction, CycleId, GoalDirection, Metric, Phase, Scope,
};
use super::pdca_metrics::check_target;
use super::text::{Text, Worded};

/// Why a transition or an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("cycle {0} has no goal metric: choose one before Do")]
    NoMetric(CycleId),
    #[error("cycle {0} has no target: set one before Do")]
    NoTarget(CycleId),
    #[error("cycle {0} has no action: add at least one before Do")]
    NoAction(CycleId),
    #[error("cycle {0} has no measured result: run the check before Act")]
    NotChecked(CycleId),
    #[error("cycle {0} is in {1}: record the act decision instead of advancing")]
    DecisionNeeded(CycleId, Phase),
    #[error("cycle {0} is closed: only its lessons can change")]
    Closed(CycleId),
    #[error("cycle {0} is in {1}: {2}")]
    WrongPhase(CycleId, Phase, &'static str),
    #[error("cycle {0}: its check is due on {1}; advance on or after it, or set an earlier --check-date")]
    CheckNotDue(CycleId, Date),
    #[error("cycle {0}: its goal metric cannot be measured for its scope (no customer in scope, or no data for the metric)")]
    NotMeasured(CycleId),
    #[error("cycle {0} has no action {1} (it has {2})")]
    NoSuchAction(CycleId, usize, usize),
    #[error("cycle {0}: action {1} is done already")]
    ActionDone(CycleId, usize),
    /// A plan or an edit that breaks a rule of its own (no title, a target out of range, …).
    #[error("{0}")]
    Invalid(Worded),
}

/// What a person gives when planning a cycle; the book adds the id, the owner, the date
/// and the baseline it measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub title: String,
    pub scope: Scope,
    pub metric: Metric,
    pub direction: GoalDirection,
    pub target: Option<f64>,
    pub check_date: Option<Date>,
    pub notes: String,
    /// Text and optional due date of each action.
    pub actions: Vec<(String, Option<Date>)>,
}

/// Builds a new cycle in Plan from a checked plan.
pub fn plan(
    id: CycleId,
    plan: Plan,
    owner: &str,
    baseline: Option<f64>,
    created: Date,
) -> Result<Cycle, Refusal> {
    let title = plan.title.trim();
    if title.is_empty() {
        return Err(Refusal::Invalid(Worded::new(
            "a cycle needs a title",
            Text::new("pdca-invalid-no-title"),
        )));
    }
    if let Some(target) = plan.target {
        check_target(plan.metric, target).map_err(Refusal::Invalid)?;
    }
    if let Some(check) = plan.check_date {
        check_date_after(check, created)?;
    }
    let mut cycle = Cycle {
        id,
        title: title.to_string(),
        scope: plan.scope,
        owner: owner.to_string(),
        created,
        phase: Phase::Plan,
        metric: Some(plan.metric),
        direction: plan.direction,
        baseline,
        target: plan.target,
        check_date: plan.check_date,
        plan_notes: plan.notes.trim().to_string(),
        actions: Vec::new(),
        result: None,
        decision: None,
        lessons: String::new(),
        previous: None,
        next: None,
    };
    for (text, due) in &plan.actions {
        add_action(&mut cycle, text, *due)?;
    }
    Ok(cycle)
}

fn check_date_after(check: Date, created: Date) -> Result<(), Refusal> {
    if check < created {
        return Err(Refusal::Invalid(Worded::new(
            format!("the check date {check} is before the plan was made ({created})"),
            Text::new("pdca-invalid-check-before-plan")
                .arg("check", check)
                .arg("created", created),
        )));
    }
    Ok(())
}

/// Whether `value` reaches `target` in the goal's direction.
pub fn met(direction: GoalDirection, value: f64, target: f64) -> bool {
    match direction {
        GoalDirection::Raise => value >= target,
        GoalDirection::Lower => value <= target,
    }
}

/// Moves a cycle one phase on. `measured` is the goal metric as of `on`, needed for
/// Do → Check (the check measures automatically) and ignored otherwise. A check before
/// the planned check date is refused: the goal was set for that date.
pub fn advance(cycle: &mut Cycle, measured: Option<f64>, on: Date) -> Result<Phase, Refusal> {
    let id = cycle.id;
    match cycle.phase {
        Phase::Plan => {
            if cycle.metric.is_none() {
                return Err(Refusal::NoMetric(id));
            }
            if cycle.target.is_none() {
                return Err(Refusal::NoTarget(id));
            }
            if cycle.actions.is_empty() {
                return Err(Refusal::NoAction(id));
            }
            cycle.phase = Phase::Do;
        }
        Phase::Do => {
            if let Some(due) = cycle.check_date.filter(|&due| on < due) {
                return Err(Refusal::CheckNotDue(id, due));
            }
            let Some(target) = cycle.target else {
                return Err(Refusal::NoTarget(id));
            };
            let Some(value) = measured else {
                return Err(Refusal::NotMeasured(id));
            };
            cycle.result = Some(CheckResult {
                value,
                met: met(cycle.direction, value, target),
                on,
            });
            cycle.phase = Phase::Check;
        }
        Phase::Check => {
            if cycle.result.is_none() {
                return Err(Refusal::NotChecked(id));
            }
            cycle.phase = Phase::Act;
        }
        Phase::Act => return Err(Refusal::DecisionNeeded(id, Phase::Act)),
        Phase::Closed => return Err(Refusal::Closed(id)),
    }
    Ok(cycle.phase)
}

/// Records the act decision and closes the cycle. *Adjust* returns the next cycle, in Plan,
/// with the measured value as its baseline and the lessons carried over.
pub fn act(
    cycle: &mut Cycle,
    decision: ActDecision,
    lessons: &str,
    next_id: CycleId,
    on: Date,
) -> Result<Option<Cycle>, Refusal> {
    let id = cycle.id;
    match cycle.phase {
        Phase::Check | Phase::Act => {}
        Phase::Closed => return Err(Refusal::Closed(id)),
        phase => {
            if cycle.result.is_none() {
                return Err(Refusal::NotChecked(id));
            }
            return Err(Refusal::WrongPhase(id, phase, "act comes after the check"));
        }
    }
    let Some(result) = cycle.result.clone() else {
        return Err(Refusal::NotChecked(id));
    };
    cycle.decision = Some(decision);
    if !lessons.trim().is_empty() {
        cycle.lessons = lessons.trim().to_string();
    }
    cycle.phase = Phase::Closed;
    if decision != ActDecision::Adjust {
        return Ok(None);
    }
    cycle.next = Some(next_id);
    let carried = if cycle.lessons.is_empty() {
        String::new()
    } else {
        format!("Lessons from cycle {id}: {}", cycle.lessons)
    };
    Ok(Some(Cycle {
        id: next_id,
        title: cycle.title.clone(),
        scope: cycle.scope.clone(),
        owner: cycle.owner.clone(),
        created: on,
        phase: Phase::Plan,
        metric: cycle.metric,
        direction: cycle.direction,
        baseline: Some(result.value),
        target: None,
        check_date: None,
        plan_notes: carried,
        actions: Vec::new(),
        result: None,
        decision: None,
        lessons: String::new(),
        previous: Some(id),
        next: None,
    }))
}

/// Plan edits (notes, actions) are allowed until the cycle closes; a closed cycle keeps
/// its record and only its lessons may change.
pub fn check_editable(cycle: &Cycle) -> Result<(), Refusal> {
    if cycle.phase == Phase::Closed {
        Err(Refusal::Closed(cycle.id))
    } else {
        Ok(())
    }
}

/// The target and the check date define what the check measures and judges, so they are
/// fixed once the check has been made.
fn check_goal_open(cycle: &Cycle) -> Result<(), Refusal> {
    check_editable(cycle)?;
    match cycle.phase {
        Phase::Check | Phase::Act => Err(Refusal::WrongPhase(
            cycle.id,
            cycle.phase,
            "the result was judged against the goal, which is now fixed",
        )),
        _ => Ok(()),
    }
}

pub fn set_target(cycle: &mut Cycle, target: f64) -> Result<(), Refusal> {
    check_goal_open(cycle)?;
    let Some(metric) = cycle.metric else {
        return Err(Refusal::NoMetric(cycle.id));
    };
    check_target(metric, target).map_err(Refusal::Invalid)?;
    cycle.target = Some(target);
    Ok(())
}

pub fn set_check_date(cycle: &mut Cycle, date: Date) -> Result<(), Refusal> {
    check_goal_open(cycle)?;
    check_date_after(date, cycle.created)?;
    cycle.check_date = Some(date);
    Ok(())
}

pub fn set_notes(cycle: &mut Cycle, notes: &str) -> Result<(), Refusal> {
    check_editable(cycle)?;
    cycle.plan_notes = notes.trim().to_string();
    Ok(())
}

/// Lessons can be written at any time, a closed cycle included: they are what it teaches.
pub fn set_lessons(cycle: &mut Cycle, lessons: &str) {
    cycle.lessons = lessons.trim().to_string();
}

pub fn add_action(cycle: &mut Cycle, text: &str, due: Option<Date>) -> Result<(), Refusal> {
    check_editable(cycle)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Refusal::Invalid(Worded::new(
            format!("cycle {}: an action needs a text", cycle.id),
            Text::new("pdca-invalid-action-text").arg("id", cycle.id),
        )));
    }
    cycle.actions.push(CycleAction {
        text: text.to_string(),
        due,
        done: None,
    });
    Ok(())
}

/// Marks the action at `index` (0-based) done on `on`.
pub fn complete_action(cycle: &mut Cycle, index: usize, on: Date) -> Result<(), Refusal> {
    check_editable(cycle)?;
    let (id, count) = (cycle.id, cycle.actions.len());
    let Some(action) = cycle.actions.get_mut(index) else {
        return Err(Refusal::NoSuchAction(id, index + 1, count));
    };
    if action.done.is_some() {
        return Err(Refusal::ActionDone(id, index + 1));
    }
    action.done = Some(on);
    Ok(())
}

/// A check is overdue when its date has passed and the cycle has not been measured yet.
pub fn check_overdue(cycle: &Cycle, as_of: Date) -> bool {
    matches!(cycle.phase, Phase::Plan | Phase::Do) && cycle.check_date.is_some_and(|d| d < as_of)
}

/// `book`, `customer:ID`, `owner:LOGIN` or `segment:NAME`: the scope's spelling on the
/// command line and in messages.
pub fn parse_scope(text: &str) -> Result<Scope, String> {
    let text = text.trim();
    if text == "book" {
        return Ok(Scope::Book);
    }
    let expected = "expected book, customer:ID, owner:LOGIN or segment:NAME";
    let Some((kind, value)) = text.split_once(':') else {
        return Err(format!("scope '{text}': {expected}"));
    };
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("scope '{text}': the {kind} is missing"));
    }
    match kind.trim() {
        "customer" => Ok(Scope::Customer(value.to_string())),
        "owner" => Ok(Scope::Owner(value.to_string())),
        "segment" => Ok(Scope::Segment(value.to_string())),
        _ => Err(format!("scope '{text}': {expected}")),
    }
}

pub fn scope_label(scope: &Scope) -> String {
    match scope {
        Scope::Book => "book".to_string(),
        Scope::Customer(id) => format!("customer:{id}"),
        Scope::Owner(login) => format!("owner:{login}"),
        Scope::Segment(name) => format!("segment:{name}"),
    }
}

/// The chain a cycle belongs to, oldest first, following `previous` / `next` links.
pub fn chain(cycles: &[Cycle], id: CycleId) -> Vec<&Cycle> {
    let find = |id: CycleId| cycles.iter().find(|c| c.id == id);
    let Some(mut first) = find(id) else {
        return Vec::new();
    };
    let mut guard = 0;
    while let Some(previous) = first.previous.and_then(find) {
        first = previous;
        guard += 1;
        if guard > cycles.len() {
            break; // a loop in bad data; stop rather than spin
        }
    }
    let mut out = vec![first];
    while let Some(next) = out.last().and_then(|c| c.next).and_then(find) {
        if out.len() > cycles.len() {
            break;
        }
        out.push(next);
    }
    out
}

#[cfg(test)]
#[path = "pdca_tests.rs"]
mod tests;
