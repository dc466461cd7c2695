//! The agenda across the book (`crm agenda`): open follow-ups due or overdue, then the
//! highest-priority next-best-actions. Fed one card at a time; keeps only the best `limit`
//! of each list in a bounded heap, so memory does not grow with the book.
//!
//! The morning's sections (issue 14): overdue (due before the as-of day), today (due on
//! it), this week (due in the `WEEK_DAYS` days after it) and the suggested actions, each
//! with its own best `limit` and an honest total over the whole book (or owner), never the
//! number shown. `follow_ups` stays what the contract calls it: due or overdue together.
//!
//! Ranking. Follow-ups: earliest due first, then higher CRV, then customer id, then task
//! id. Actions: `actions::PRIORITY` order, then higher CRV, then earlier due, then customer
//! id, then code. `follow_up_overdue` actions are not repeated in the action list: their
//! tasks are the follow-up list.

use super::text::Text;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::actions::priority;
use super::card::{ActionCode, Card, Stage, Tier};
use super::days::day_number;
use super::model::{CustomerId, TaskId, TaskOrigin};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaFollowUp {
    pub customer: CustomerId,
    pub name: String,
    pub owner: String,
    pub task: TaskId,
    pub due: Date,
    pub text: String,
    /// 0 when due today; negative for a follow-up due later this week (-1: tomorrow).
    pub days_overdue: i64,
    pub stage: Stage,
    pub tier: Option<Tier>,
    pub crv: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaAction {
    pub customer: CustomerId,
    pub name: String,
    pub owner: String,
    pub code: ActionCode,
    pub action: String,
    /// `action` as a message for the front ends (not part of the JSON).
    #[serde(skip)]
    pub action_said: Text,
    pub why: Vec<String>,
    /// `why` as messages (not part of the JSON).
    #[serde(skip)]
    pub why_said: Vec<Text>,
    pub due: Date,
    pub stage: Stage,
    pub tier: Option<Tier>,
    pub crv: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agenda {
    pub as_of: Date,
    pub owner: Option<String>,
    pub limit: usize,
    /// Best first, at most `limit`.
    pub follow_ups: Vec<AgendaFollowUp>,
    /// How many follow-ups were due or overdue in all (may exceed `limit`).
    pub follow_ups_total: usize,
    pub actions: Vec<AgendaAction>,
    pub actions_total: usize,
    /// How many follow-ups were due before the as-of day, in all.
    #[serde(default)]
    pub overdue_total: usize,
    /// Follow-ups due on the as-of day, best first, at most `limit`.
    #[serde(default)]
    pub today: Vec<AgendaFollowUp>,
    #[serde(default)]
    pub today_total: usize,
    /// Follow-ups due in the `WEEK_DAYS` days after the as-of day, earliest first.
    #[serde(default)]
    pub this_week: Vec<AgendaFollowUp>,
    #[serde(default)]
    pub this_week_total: usize,
}

/// How far "this week" reaches: the days after the as-of day, up to and including this many.
pub const WEEK_DAYS: i64 = 7;

/// Where an open follow-up due on `due` falls on the agenda of `as_of`, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Overdue,
    Today,
    ThisWeek,
}

pub fn when(due: Date, as_of: Date) -> Option<When> {
    let days = day_number(due) - day_number(as_of);
    match days {
        d if d < 0 => Some(When::Overdue),
        0 => Some(When::Today),
        d if d <= WEEK_DAYS => Some(When::ThisWeek),
        _ => None,
    }
}

/// A CRV that sorts higher values first, by total order (NaN cannot break the heap).
#[derive(Debug, Clone, Copy)]
struct HigherFirst(f64);

impl PartialEq for HigherFirst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for HigherFirst {}
impl PartialOrd for HigherFirst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HigherFirst {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0)
    }
}

type FollowUpKey = (Date, HigherFirst, CustomerId, TaskId);
type ActionKey = (usize, HigherFirst, Date, CustomerId, ActionCode);

/// A kept item and its rank key (smaller is better); the heap's top is the worst kept.
struct Ranked<K, T> {
    key: K,
    item: T,
}

impl<K: Ord, T> PartialEq for Ranked<K, T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<K: Ord, T> Eq for Ranked<K, T> {}
impl<K: Ord, T> PartialOrd for Ranked<K, T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<K: Ord, T> Ord for Ranked<K, T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// Keeps the `limit` best items seen; an item is only built when it will be kept.
struct Best<K, T> {
    heap: BinaryHeap<Ranked<K, T>>,
    limit: usize,
    seen: usize,
}

impl<K: Ord, T> Best<K, T> {
    fn new(limit: usize) -> Self {
        Best {
            heap: BinaryHeap::new(),
            limit,
            seen: 0,
        }
    }

    fn offer(&mut self, key: K, build: impl FnOnce() -> T) {
        self.seen += 1;
        if self.heap.len() < self.limit {
            self.heap.push(Ranked { key, item: build() });
        } else if self.heap.peek().is_some_and(|worst| key < worst.key) {
            self.heap.pop();
            self.heap.push(Ranked { key, item: build() });
        }
    }

    fn into_sorted(self) -> Vec<T> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|r| r.item)
            .collect()
    }
}

pub struct AgendaBuilder {
    as_of: Date,
    owner: Option<String>,
    limit: usize,
    follow_ups: Best<FollowUpKey, AgendaFollowUp>,
    today: Best<FollowUpKey, AgendaFollowUp>,
    this_week: Best<FollowUpKey, AgendaFollowUp>,
    overdue_total: usize,
    actions: Best<ActionKey, AgendaAction>,
}

impl AgendaBuilder {
    pub fn new(as_of: Date, owner: Option<String>, limit: usize) -> Self {
        AgendaBuilder {
            as_of,
            owner,
            limit,
            follow_ups: Best::new(limit),
            today: Best::new(limit),
            this_week: Best::new(limit),
            overdue_total: 0,
            actions: Best::new(limit),
        }
    }

    pub fn add(&mut self, card: &Card) {
        if self.owner.as_ref().is_some_and(|o| *o != card.owner) {
            return;
        }
        let today = day_number(self.as_of);
        for task in card
            .open_tasks
            .iter()
            .filter(|t| t.origin == TaskOrigin::FollowUp && t.open_on(self.as_of))
        {
            let Some(when) = when(task.due, self.as_of) else {
                continue;
            };
            let key = (
                task.due,
                HigherFirst(card.value.crv),
                card.id.clone(),
                task.id,
            );
            let build = || AgendaFollowUp {
                customer: card.id.clone(),
                name: card.name.clone(),
                owner: card.owner.clone(),
                task: task.id,
                due: task.due,
                text: task.text.clone(),
                days_overdue: today - day_number(task.due),
                stage: card.stage,
                tier: card.tier,
                crv: card.value.crv,
            };
            match when {
                When::Overdue => {
                    self.overdue_total += 1;
                    self.follow_ups.offer(key, build);
                }
                When::Today => {
                    self.today.offer(key.clone(), build);
                    self.follow_ups.offer(key, build);
                }
                When::ThisWeek => self.this_week.offer(key, build),
            }
        }
        for action in card
            .next_actions
            .iter()
            .filter(|a| a.code != ActionCode::FollowUpOverdue)
        {
            let key = (
                priority(action.code),
                HigherFirst(card.value.crv),
                action.due,
                card.id.clone(),
                action.code,
            );
            self.actions.offer(key, || AgendaAction {
                customer: card.id.clone(),
                name: card.name.clone(),
                owner: card.owner.clone(),
                code: action.code,
                action: action.action.clone(),
                action_said: action.action_said.clone(),
                why: action.why.clone(),
                why_said: action.why_said.clone(),
                due: action.due,
                stage: card.stage,
                tier: card.tier,
                crv: card.value.crv,
            });
        }
    }

    pub fn finish(self) -> Agenda {
        Agenda {
            as_of: self.as_of,
            owner: self.owner,
            limit: self.limit,
            follow_ups_total: self.follow_ups.seen,
            follow_ups: self.follow_ups.into_sorted(),
            actions_total: self.actions.seen,
            actions: self.actions.into_sorted(),
            overdue_total: self.overdue_total,
            today_total: self.today.seen,
            today: self.today.into_sorted(),
            this_week_total: self.this_week.seen,
            this_week: self.this_week.into_sorted(),
        }
    }
}

#[cfg(test)]
#[path = "agenda_tests.rs"]
mod tests;
