//! PDCA cycles in the book: each operation loads the cycle, lets the domain's state machine
//! judge it, measures through the engine's facts for the date, and stores the result as
//! one journal event.

use jiff::civil::Date;

use super::{Book, BookError};
use crate::domain::model::{ActDecision, BookData, Cycle, CycleId, Metric, Phase, Scope};
use crate::domain::pdca::{self, Plan, Refusal};
use crate::domain::pdca_metrics;
use crate::domain::text::Text;
use crate::store::Change;

/// The plan edits `crm pdca set` can make; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanEdit {
    pub target: Option<f64>,
    pub check_date: Option<Date>,
    pub notes: Option<String>,
    pub lessons: Option<String>,
}

fn refused(refusal: Refusal) -> BookError {
    let english = refusal.to_string();
    let phase = |phase: Phase| Text::code("phase", phase.code());
    let said = match refusal {
        Refusal::NoMetric(id) => Text::new("refuse-no-metric").arg("id", id),
        Refusal::NoTarget(id) => Text::new("refuse-no-target").arg("id", id),
        Refusal::NoAction(id) => Text::new("refuse-no-action").arg("id", id),
        Refusal::NotChecked(id) => Text::new("refuse-not-checked").arg("id", id),
        Refusal::DecisionNeeded(id, p) => Text::new("refuse-decision-needed")
            .arg("id", id)
            .part("phase", phase(p)),
        Refusal::Closed(id) => Text::new("refuse-closed").arg("id", id),
        Refusal::WrongPhase(id, p, why) => Text::new("refuse-wrong-phase")
            .arg("id", id)
            .part("phase", phase(p))
            .part("why", wrong_phase_reason(why)),
        Refusal::CheckNotDue(id, date) => Text::new("refuse-check-not-due")
            .arg("id", id)
            .arg("date", date),
        Refusal::NotMeasured(id) => Text::new("refuse-not-measured").arg("id", id),
        Refusal::NoSuchAction(id, n, has) => Text::new("refuse-no-such-action")
            .arg("id", id)
            .arg("n", n)
            .arg("has", has),
        Refusal::ActionDone(id, n) => Text::new("refuse-action-done").arg("id", id).arg("n", n),
        Refusal::Invalid(worded) => worded.said,
    };
    BookError::refused(english).with(said)
}

/// The domain's reasons a phase refuses a step, as messages (an unknown one as written).
fn wrong_phase_reason(why: &str) -> Text {
    match why {
        "act comes after the check" => Text::new("refuse-act-after-check"),
        "the result was judged against the goal, which is now fixed" => {
            Text::new("refuse-goal-fixed")
        }
        other => Text::new("err-as-written").arg("text", other),
    }
}

impl Book {
    /// A cycle by id; the message names the cycle (not a customer) when it is missing.
    pub fn find_cycle(&self, id: CycleId) -> Result<Cycle, BookError> {
        self.store.cycle(id)?.ok_or_else(|| BookError::NotFound {
            what: super::Missing::Cycle,
            id: id.to_string(),
        })
    }

    /// The chain the cycle belongs to, oldest first.
    pub fn cycle_chain(&self, id: CycleId) -> Result<Vec<Cycle>, BookError> {
        self.find_cycle(id)?;
        let cycles = self.store.cycles()?;
        Ok(pdca::chain(&cycles, id).into_iter().cloned().collect())
    }

    /// `metric` for the customers in `scope` as of `as_of`; `None` when there is nothing
    /// to measure (see docs/pdca.md).
    pub fn measure(
        &mut self,
        metric: Metric,
        scope: &Scope,
        as_of: Date,
    ) -> Result<Option<f64>, BookError> {
        let config = self.config.clone();
        let derived = self.derived(as_of, false)?;
        Ok(pdca_metrics::measure(
            metric,
            scope,
            &derived.facts,
            &derived.stats,
            as_of,
            &config,
        ))
    }

    /// The cycle's goal metric as of `as_of` (`None` without a metric or without data).
    pub fn measure_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Option<f64>, BookError> {
        let cycle = self.find_cycle(id)?;
        match cycle.metric {
            Some(metric) => self.measure(metric, &cycle.scope, as_of),
            None => Ok(None),
        }
    }

    /// Plans a new cycle on `as_of`, its baseline measured by the engine as of that date.
    /// The scope must hold at least one customer: a typo would otherwise plan against
    /// nothing. The owner is the scope's owner (an owner's book, or the customer's
    /// owner), else the user making the plan.
    pub fn plan_cycle(&mut self, plan: Plan, as_of: Date) -> Result<Cycle, BookError> {
        let owner = match &plan.scope {
            Scope::Owner(login) => login.clone(),
            Scope::Customer(id) => self.customer(id)?.owner,
            Scope::Segment(_) | Scope::Book => self.actor.clone(),
        };
        let config = self.config.clone();
        let derived = self.derived(as_of, false)?;
        let customers = derived
            .facts
            .iter()
            .filter(|f| pdca_metrics::in_scope(f, &plan.scope))
            .count();
        if customers == 0 {
            return Err(BookError::refused(format!(
                "scope {} holds no customer",
                pdca::scope_label(&plan.scope)
            ))
            .with(Text::new("refuse-empty-scope").arg("scope", pdca::scope_label(&plan.scope))));
        }
        let baseline = pdca_metrics::measure(
            plan.metric,
            &plan.scope,
            &derived.facts,
            &derived.stats,
            as_of,
            &config,
        );
        let id = self.next_cycle_id();
        let cycle = pdca::plan(id, plan, &owner, baseline, as_of).map_err(refused)?;
        self.put_cycle(cycle.clone())?;
        Ok(cycle)
    }

    /// Changes the plan fields given in `edit`: all or nothing.
    pub fn edit_cycle(&mut self, id: CycleId, edit: PlanEdit) -> Result<Cycle, BookError> {
        let mut cycle = self.find_cycle(id)?;
        if edit == PlanEdit::default() {
            return Err(BookError::refused(format!("cycle {id}: nothing to change"))
                .with(Text::new("refuse-nothing-to-change").arg("id", id)));
        }
        if let Some(target) = edit.target {
            pdca::set_target(&mut cycle, target).map_err(refused)?;
        }
        if let Some(date) = edit.check_date {
            pdca::set_check_date(&mut cycle, date).map_err(refused)?;
        }
        if let Some(notes) = &edit.notes {
            pdca::set_notes(&mut cycle, notes).map_err(refused)?;
        }
        if let Some(lessons) = &edit.lessons {
            pdca::set_lessons(&mut cycle, lessons);
        }
        self.put_cycle(cycle.clone())?;
        Ok(cycle)
    }

    pub fn add_cycle_action(
        &mut self,
        id: CycleId,
        text: &str,
        due: Option<Date>,
    ) -> Result<Cycle, BookError> {
        let mut cycle = self.find_cycle(id)?;
        pdca::add_action(&mut cycle, text, due).map_err(refused)?;
        self.put_cycle(cycle.clone())?;
        Ok(cycle)
    }

    /// Marks the action at `index` (0-based) done on `on`.
    pub fn complete_cycle_action(
        &mut self,
        id: CycleId,
        index: usize,
        on: Date,
    ) -> Result<Cycle, BookError> {
        let mut cycle = self.find_cycle(id)?;
        pdca::complete_action(&mut cycle, index, on).map_err(refused)?;
        self.put_cycle(cycle.clone())?;
        Ok(cycle)
    }

    /// Moves the cycle one phase on as of `as_of`; Do → Check measures the goal metric as
    /// of that date.
    pub fn advance_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Cycle, BookError> {
        let mut cycle = self.find_cycle(id)?;
        let measured = match (cycle.phase, cycle.metric) {
            (Phase::Do, Some(metric)) => self.measure(metric, &cycle.scope, as_of)?,
            _ => None,
        };
        pdca::advance(&mut cycle, measured, as_of).map_err(refused)?;
        self.put_cycle(cycle.clone())?;
        Ok(cycle)
    }

    /// Records the act decision and closes the cycle; *adjust* also opens the next cycle
    /// in Plan. Both cycles are written in one journal event (an import that merges only
    /// cycles), so a crash never leaves a closed cycle pointing at a missing next one.
    pub fn act_on_cycle(
        &mut self,
        id: CycleId,
        decision: ActDecision,
        lessons: &str,
        as_of: Date,
    ) -> Result<(Cycle, Option<Cycle>), BookError> {
        let mut cycle = self.find_cycle(id)?;
        let next_id = self.next_cycle_id();
        let next = pdca::act(&mut cycle, decision, lessons, next_id, as_of).map_err(refused)?;
        let mut cycles = vec![cycle.clone()];
        cycles.extend(next.iter().cloned());
        let data = BookData {
            users: Vec::new(),
            accounts: Vec::new(),
            cycles,
        };
        self.apply(Change::Import { data, merge: true })?;
        // Cards read cycles (an open cycle lifts the actual relationship type).
        self.derived = None;
        Ok((cycle, next))
    }
}
