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
use super::card::{ActionCode, Card};
use super::model::{CustomerId, TaskId, TaskOrigin};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaKeys {
    pub id: CustomerId,
    pub owner: String,
    pub crv: f64,
    /// Open follow-up tasks due by the as-of date: (due, task id).
    pub follow_ups: Vec<(Date, TaskId)>,
    /// Next-best-actions other than `follow_up_overdue`: (code, due).
    pub actions: Vec<(ActionCode, Date)>,
}

impl AgendaKeys {
    pub fn of(card: &Card) -> AgendaKeys {
        let as_of = card.as_of;
        AgendaKeys {
            id: card.id.clone(),
            owner: card.owner.clone(),
            crv: card.value.crv,
            follow_ups: card
                .open_tasks
                .iter()
                .filter(|t| t.origin == TaskOrigin::FollowUp && t.open_on(as_of) && t.due <= as_of)
                .map(|t| (t.due, t.id))
                .collect(),
            actions: card
                .next_actions
                .iter()
                .filter(|a| a.code != ActionCode::FollowUpOverdue)
                .map(|a| (a.code, a.due))
                .collect(),
        }
    }
}

/// The customers (positions in `keys`) whose cards hold one of the best `limit` items of
/// either list, and each list's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub positions: BTreeSet<usize>,
    pub follow_ups_total: usize,
    pub actions_total: usize,
}

/// Higher CRV first, by total order (as `agenda.rs` ranks).
fn higher_first(a: f64, b: f64) -> Ordering {
    b.total_cmp(&a)
}

pub fn choose(keys: &[AgendaKeys], owner: Option<&str>, limit: usize) -> Chosen {
    let mut follow_ups: Vec<(Date, f64, &str, TaskId, usize)> = Vec::new();
    let mut actions: Vec<(usize, f64, Date, &str, ActionCode, usize)> = Vec::new();
    for (at, k) in keys.iter().enumerate() {
        if owner.is_some_and(|o| o != k.owner) {
            continue;
        }
        for &(due, task) in &k.follow_ups {
            follow_ups.push((due, k.crv, &k.id, task, at));
        }
        for &(code, due) in &k.actions {
            actions.push((priority(code), k.crv, due, &k.id, code, at));
        }
    }
    let follow_up_order = |a: &(Date, f64, &str, TaskId, usize),
                           b: &(Date, f64, &str, TaskId, usize)| {
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
    let (follow_ups_total, actions_total) = (follow_ups.len(), actions.len());
    if follow_ups.len() > limit && limit > 0 {
        follow_ups.select_nth_unstable_by(limit - 1, follow_up_order);
    }
    if actions.len() > limit && limit > 0 {
        actions.select_nth_unstable_by(limit - 1, action_order);
    }
    let positions = follow_ups
        .iter()
        .take(limit)
        .map(|f| f.4)
        .chain(actions.iter().take(limit).map(|a| a.5))
        .collect();
    Chosen {
        positions,
        follow_ups_total,
        actions_total,
    }
}
