//! The PDCA review's state (view `4`): every cycle in review order (overdue checks first,
//! then by phase), one cursor over them, and the page of one cycle when it is open.

use crate::i18n::t;
use jiff::civil::Date;

use crate::domain::model::{Cycle, CycleId, Phase, Scope};
use crate::domain::pdca::check_overdue;
use crate::tui::document::{Layouts, Reading};
use crate::tui::list::Cursor;

/// The groups of the review list, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// In plan or do with the check date passed: the first thing to look at.
    Overdue,
    Plan,
    Do,
    Check,
    Act,
    Closed,
}

impl Group {
    pub fn of(cycle: &Cycle, as_of: Date) -> Group {
        if check_overdue(cycle, as_of) {
            return Group::Overdue;
        }
        match cycle.phase {
            Phase::Plan => Group::Plan,
            Phase::Do => Group::Do,
            Phase::Check => Group::Check,
            Phase::Act => Group::Act,
            Phase::Closed => Group::Closed,
        }
    }

    pub fn title(self) -> String {
        t(match self {
            Group::Overdue => "group-overdue",
            Group::Plan => "group-plan",
            Group::Do => "group-do",
            Group::Check => "group-check",
            Group::Act => "group-act",
            Group::Closed => "group-closed",
        })
    }
}

/// Sorts cycles for review: by group; within a group the nearest check date first (none
/// last), except closed cycles, newest first (the latest lessons matter most).
pub fn review_order(cycles: &mut [Cycle], as_of: Date) {
    cycles.sort_by(|a, b| {
        let (ga, gb) = (Group::of(a, as_of), Group::of(b, as_of));
        ga.cmp(&gb).then_with(|| {
            if ga == Group::Closed {
                b.id.cmp(&a.id)
            } else {
                let due = |c: &Cycle| (c.check_date.is_none(), c.check_date, c.id);
                due(a).cmp(&due(b))
            }
        })
    });
}

#[derive(Debug, Default)]
pub struct PdcaState {
    /// Every cycle in review order; `None` until first shown and after a write.
    pub cycles: Option<Vec<Cycle>>,
    pub cursor: Cursor,
    /// The cycle page, shown over the review list or the card it was opened from.
    pub page: Option<CyclePage>,
}

impl PdcaState {
    pub fn selected(&self) -> Option<&Cycle> {
        self.cycles.as_ref()?.get(self.cursor.selected)
    }

    pub fn scoped_customer(&self) -> Option<&str> {
        match &self.selected()?.scope {
            Scope::Customer(id) => Some(id),
            _ => None,
        }
    }

    /// Replaces the list, sorted for review; the cursor stays on the cycle it was on.
    pub fn set(&mut self, mut cycles: Vec<Cycle>, as_of: Date, height: usize) {
        let keep = self.selected().map(|c| c.id);
        review_order(&mut cycles, as_of);
        self.cycles = Some(cycles);
        if let Some(id) = keep {
            self.select(id);
        }
        let len = self.len();
        self.cursor.follow(len, height);
    }

    pub fn len(&self) -> usize {
        self.cycles.as_ref().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts the cursor on cycle `id` when it is listed.
    pub fn select(&mut self, id: CycleId) {
        let found = self
            .cycles
            .as_ref()
            .and_then(|cycles| cycles.iter().position(|c| c.id == id));
        if let Some(row) = found {
            self.cursor.selected = row;
        }
    }
}

/// One cycle as its page shows it: the record, its chain and the metric measured today.
#[derive(Debug, Clone, PartialEq)]
pub struct CyclePage {
    pub cycle: Cycle,
    /// The spiral the cycle belongs to, oldest first, this cycle included.
    pub chain: Vec<Cycle>,
    /// The goal metric as of the console's date; `None` when it cannot be measured.
    pub measured_now: Option<f64>,
    /// The selected item (an index into `items()`) and the first line shown of the
    /// scrolling column.
    pub reading: Reading,
    /// The page laid out, per width and day (`pdca/page.rs`).
    pub layouts: Layouts<(u16, Date)>,
}

/// A thing on the cycle page the cursor can rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageItem {
    Action(usize),
    /// A cycle of the chain, by position in `chain`.
    Chain(usize),
}

impl CyclePage {
    pub fn new(cycle: Cycle, chain: Vec<Cycle>, measured_now: Option<f64>) -> CyclePage {
        CyclePage {
            cycle,
            chain,
            measured_now,
            reading: Reading::default(),
            layouts: Layouts::default(),
        }
    }

    /// The selectable things in the order they are drawn: actions, then the spiral.
    pub fn items(&self) -> Vec<PageItem> {
        (0..self.cycle.actions.len())
            .map(PageItem::Action)
            .chain((0..self.chain.len()).map(PageItem::Chain))
            .collect()
    }

    pub fn current(&self) -> Option<PageItem> {
        self.items().get(self.reading.cursor).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::GoalDirection;
    use jiff::civil::date;

    fn cycle(id: CycleId, phase: Phase, check: Option<Date>) -> Cycle {
        Cycle {
            id,
            title: format!("cycle {id}"),
            scope: Scope::Book,
            owner: "alice".into(),
            created: date(2026, 1, 1),
            phase,
            metric: None,
            direction: GoalDirection::Raise,
            baseline: None,
            target: None,
            check_date: check,
            plan_notes: String::new(),
            actions: Vec::new(),
            result: None,
            decision: None,
            lessons: String::new(),
            previous: None,
            next: None,
        }
    }

    #[test]
    fn overdue_checks_come_first_then_phases_in_order() {
        let as_of = date(2026, 11, 22);
        let mut cycles = vec![
            cycle(1, Phase::Closed, None),
            cycle(2, Phase::Do, Some(date(2026, 12, 1))),
            cycle(3, Phase::Plan, None),
            cycle(4, Phase::Do, Some(date(2026, 11, 1))),
            cycle(5, Phase::Closed, None),
            cycle(6, Phase::Check, Some(date(2026, 10, 1))),
            cycle(7, Phase::Plan, Some(date(2026, 11, 21))),
            cycle(8, Phase::Do, Some(date(2026, 11, 30))),
        ];
        review_order(&mut cycles, as_of);
        let ids: Vec<CycleId> = cycles.iter().map(|c| c.id).collect();
        // 4 and 7 are overdue (earliest date first); 6 is checked already, so not overdue;
        // do by date (8 before 2); closed newest first.
        assert_eq!(ids, [4, 7, 3, 8, 2, 6, 5, 1]);
        assert_eq!(Group::of(&cycles[0], as_of), Group::Overdue);
        assert_eq!(Group::of(&cycles[5], as_of), Group::Check);
    }

    #[test]
    fn set_keeps_the_cursor_on_the_same_cycle() {
        let as_of = date(2026, 11, 22);
        let mut state = PdcaState::default();
        state.set(
            vec![cycle(1, Phase::Plan, None), cycle(2, Phase::Do, None)],
            as_of,
            10,
        );
        state.cursor.selected = 1;
        assert_eq!(state.selected().map(|c| c.id), Some(2));
        // Cycle 3 lands before 2 (an earlier group): the cursor follows cycle 2.
        state.set(
            vec![
                cycle(1, Phase::Plan, None),
                cycle(2, Phase::Do, None),
                cycle(3, Phase::Plan, Some(date(2026, 1, 1))),
            ],
            as_of,
            10,
        );
        assert_eq!(state.selected().map(|c| c.id), Some(2));
        assert_eq!(state.cursor.selected, 2);
    }

    #[test]
    fn page_items_are_actions_then_the_chain() {
        let mut c = cycle(2, Phase::Do, None);
        c.actions = vec![
            crate::domain::model::CycleAction {
                text: "call".into(),
                due: None,
                done: None,
            };
            2
        ];
        let chain = vec![cycle(1, Phase::Closed, None), c.clone()];
        let mut page = CyclePage::new(c, chain, None);
        assert_eq!(
            page.items(),
            [
                PageItem::Action(0),
                PageItem::Action(1),
                PageItem::Chain(0),
                PageItem::Chain(1)
            ]
        );
        page.reading.cursor = 2;
        assert_eq!(page.current(), Some(PageItem::Chain(0)));
    }
}
