//! What the agenda ranks of one customer's card, kept beside its list line so `crm agenda`
//! ranks the whole book from these small keys and builds the full cards of only the
//! customers whose items make the agenda (issue 12), instead of a card per customer.
//!
//! The ranking is `agenda.rs`'s exactly: follow-ups by (due, higher CRV, customer id, task
//! id), actions by (priority, higher CRV, due, customer id, code), `follow_up_overdue`
//! actions left out. The agenda fed the chosen customers' cards keeps the same best items
//! (every item that ranks among the best belongs to a chosen customer, and the other items
//! of those customers rank below them); the totals are counted here over every customer.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::actions::priority;
use super::agenda::{when, When};
use super::card::{ActionCode, Card};
use super::model::{CustomerId, TaskId, TaskOrigin};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaKeys {
    pub id: CustomerId,
    pub owner: String,
    pub crv: f64,
    /// Open follow-up tasks due by the as-of date: (due, task id).
    pub follow_ups: Vec<(Date, TaskId)>,
    /// Open follow-up tasks due this week after the as-of date (`agenda::When::ThisWeek`).
    #[serde(default)]
    pub upcoming: Vec<(Date, TaskId)>,
    /// Next-best-actions other than `follow_up_overdue`: (code, due).
    pub actions: Vec<(ActionCode, Date)>,
}

impl AgendaKeys {
    pub fn of(card: &Card) -> AgendaKeys {
        AgendaKeys {
            id: card.id.clone(),
            owner: card.owner.clone(),
            crv: card.value.crv,
            follow_ups: open_follow_ups(card, |when| when != When::ThisWeek),
            upcoming: open_follow_ups(card, |when| when == When::ThisWeek),
            actions: card
                .next_actions
                .iter()
                .filter(|a| a.code != ActionCode::FollowUpOverdue)
                .map(|a| (a.code, a.due))
                .collect(),
        }
    }
}

/// The card's open follow-ups on its agenda whose place `keep` wants: (due, task id).
fn open_follow_ups(card: &Card, keep: impl Fn(When) -> bool) -> Vec<(Date, TaskId)> {
    card.open_tasks
        .iter()
        .filter(|t| t.origin == TaskOrigin::FollowUp && t.open_on(card.as_of))
        .filter(|t| when(t.due, card.as_of).is_some_and(&keep))
        .map(|t| (t.due, t.id))
        .collect()
}

/// The customers (positions in `keys`) whose cards hold one of the best `limit` items of
/// either list, and each list's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub positions: BTreeSet<usize>,
    pub follow_ups_total: usize,
    pub actions_total: usize,
    pub overdue_total: usize,
    pub today_total: usize,
    pub this_week_total: usize,
}

/// Higher CRV first, by total order (as `agenda.rs` ranks).
fn higher_first(a: f64, b: f64) -> Ordering {
    b.total_cmp(&a)
}

pub fn choose(keys: &[AgendaKeys], owner: Option<&str>, as_of: Date, limit: usize) -> Chosen {
    choose_where(keys, owner, &|_| true, as_of, limit)
}

/// As `choose`, over the customers `keep` lets through (a session's reach).
pub fn choose_where(
    keys: &[AgendaKeys],
    owner: Option<&str>,
    keep: &dyn Fn(&AgendaKeys) -> bool,
    as_of: Date,
    limit: usize,
) -> Chosen {
    type FollowUpKey<'a> = (Date, f64, &'a str, TaskId, usize);
    let mut follow_ups: Vec<FollowUpKey> = Vec::new();
    let mut today: Vec<FollowUpKey> = Vec::new();
    let mut this_week: Vec<FollowUpKey> = Vec::new();
    let mut actions: Vec<(usize, f64, Date, &str, ActionCode, usize)> = Vec::new();
    for (at, k) in keys.iter().enumerate() {
        if owner.is_some_and(|o| o != k.owner) || !keep(k) {
            continue;
        }
        for &(due, task) in &k.follow_ups {
            let key = (due, k.crv, k.id.as_str(), task, at);
            if due == as_of {
                today.push(key);
            }
            follow_ups.push(key);
        }
        for &(due, task) in &k.upcoming {
            this_week.push((due, k.crv, &k.id, task, at));
        }
        for &(code, due) in &k.actions {
            actions.push((priority(code), k.crv, due, &k.id, code, at));
        }
    }
    let follow_up_order = |a: &FollowUpKey, b: &FollowUpKey| {
        a.0.cmp(&b.0)
            .then_with(|| higher_first(a.1, b.1))
            .then_with(|| a.2.cmp(b.2))
            .then_with(|| a.3.cmp(&b.3))
    };
    type ActionKey<'a> = (usize, f64, Date, &'a str, ActionCode, usize);
    let action_order = |a: &ActionKey, b: &ActionKey| {
        a.0.cmp(&b.0)
            .then_with(|| higher_first(a.1, b.1))
            .then_with(|| a.2.cmp(&b.2))
            .then_with(|| a.3.cmp(b.3))
            .then_with(|| a.4.cmp(&b.4))
    };
    let chosen = Chosen {
        positions: BTreeSet::new(),
        follow_ups_total: follow_ups.len(),
        actions_total: actions.len(),
        overdue_total: follow_ups.len() - today.len(),
        today_total: today.len(),
        this_week_total: this_week.len(),
    };
    let mut positions = BTreeSet::new();
    for mut list in [follow_ups, today, this_week] {
        if list.len() > limit && limit > 0 {
            list.select_nth_unstable_by(limit - 1, follow_up_order);
        }
        positions.extend(list.iter().take(limit).map(|f| f.4));
    }
    if actions.len() > limit && limit > 0 {
        actions.select_nth_unstable_by(limit - 1, action_order);
    }
    positions.extend(actions.iter().take(limit).map(|a| a.5));
    Chosen {
        positions,
        ..chosen
    }
}
