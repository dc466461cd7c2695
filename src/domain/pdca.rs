//! The PDCA cycle state machine (DOMAIN.md §7): Plan → Do → Check → Act → closed, with
//! every transition checked and refused with a reason a person can act on.

use jiff::civil::Date;

use super::model::{ActDecision, CheckResult, Cycle, CycleAction, CycleId, GoalDirection, Phase};

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
}

/// Whether `value` reaches `target` in the goal's direction.
pub fn met(direction: GoalDirection, value: f64, target: f64) -> bool {
    match direction {
        GoalDirection::Raise => value >= target,
        GoalDirection::Lower => value <= target,
    }
}

/// Moves a cycle one phase on. `measured` is the goal metric as of `on`, needed for
/// Do → Check (the check measures automatically) and ignored otherwise.
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
            let (Some(value), Some(target)) = (measured, cycle.target) else {
                return Err(Refusal::WrongPhase(id, Phase::Do, "the metric could not be measured"));
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

/// Plan edits (metric, target, check date, notes, actions) are allowed until the cycle
/// closes; a closed cycle keeps its record and only its lessons may change.
pub fn check_editable(cycle: &Cycle) -> Result<(), Refusal> {
    if cycle.phase == Phase::Closed {
        Err(Refusal::Closed(cycle.id))
    } else {
        Ok(())
    }
}

pub fn add_action(cycle: &mut Cycle, text: &str, due: Option<Date>) -> Result<(), Refusal> {
    check_editable(cycle)?;
    cycle.actions.push(CycleAction {
        text: text.trim().to_string(),
        due,
        done: None,
    });
    Ok(())
}

/// A check is overdue when its date has passed and the cycle has not been measured yet.
pub fn check_overdue(cycle: &Cycle, as_of: Date) -> bool {
    matches!(cycle.phase, Phase::Plan | Phase::Do) && cycle.check_date.is_some_and(|d| d < as_of)
}

/// The chain a cycle belongs to, oldest first, following `previous` / `next` links.
pub fn chain<'a>(cycles: &'a [Cycle], id: CycleId) -> Vec<&'a Cycle> {
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
