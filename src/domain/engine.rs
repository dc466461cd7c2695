//! The customer card: every rule family applied to one account, as of a date.

use super::text::Text;
use jiff::civil::Date;

use super::actions::{self, Situation};
use super::bonds;
use super::card::{BondView, Card, CycleRef, MonthMargin, RelationshipTypes, Summary};
use super::config::Config;
use super::days::{day_number, month_label, month_number, timestamp_day};
use super::facts::{order_margin, CustomerFacts};
use super::intensity;
use super::lifecycle;
use super::model::{Account, Cycle, Interaction, Phase, Scope};
use super::stats::BookStats;
use super::value;

/// The card lists at most this many interactions, newest first.
pub const RECENT_INTERACTIONS: usize = 20;
/// Months in the margin chart.
pub const CHART_MONTHS: i64 = 24;

pub fn card(
    account: &Account,
    facts: &CustomerFacts,
    stats: &BookStats,
    cycles: &[Cycle],
    as_of: Date,
    cfg: &Config,
) -> Card {
    let customer = &account.customer;
    let today = day_number(as_of);
    let own_cycles: Vec<&Cycle> = cycles
        .iter()
        .filter(|c| matches!(&c.scope, Scope::Customer(id) if *id == customer.id))
        .filter(|c| c.created <= as_of)
        .collect();
    let open_cycle = own_cycles.iter().any(|c| c.phase != Phase::Closed);
    let values = value::figures(facts, stats, cfg);
    let owner_customers = stats.owner_customers(&facts.owner);
    let recommended = intensity::recommended(owner_customers, facts.margin_rate, cfg);
    let actual = intensity::actual(
        facts.inbound_recent,
        facts.outbound_recent,
        facts.rungs.structural || open_cycle,
        cfg,
    );
    let tier = value::tier(facts.stage, values.crv, stats);
    let (stage_evidence, stage_evidence_said): (Vec<String>, Vec<Text>) =
        lifecycle::evidence_said(facts, cfg).into_iter().unzip();
    let next_actions = actions::next_best_actions(
        &Situation {
            facts,
            stage_evidence: &stage_evidence,
            stage_evidence_said: &stage_evidence_said,
            tier,
            recommended,
            actual,
            owner_customers,
            share_of_wallet: values.share_of_wallet,
            win_back_value: value::win_back_value(facts, stats.retention.rate, cfg),
        },
        cfg,
    );
    let recent = recent_interactions(account, today);
    let mut open_tasks: Vec<_> = account
        .tasks
        .iter()
        .filter(|t| t.open_on(as_of))
        .cloned()
        .collect();
    open_tasks.sort_by_key(|t| (t.due, t.id));
    Card {
        id: customer.id.clone(),
        name: customer.name.clone(),
        owner: customer.owner.clone(),
        as_of,
        kind: customer.kind,
        segment: customer.segment.clone(),
        tags: customer.tags.clone(),
        category_spend: customer.category_spend,
        contacts: customer.contacts.clone(),
        note: customer.note.clone(),
        lost: customer.lost.clone(),
        stage: facts.stage,
        second_lifecycle: facts.second_lifecycle,
        stage_evidence,
        stage_evidence_said,
        quadrant: value::quadrant(values.margin_12m, values.potential, stats),
        level: facts.level,
        level_note: bonds::fragile_note(&facts.rungs),
        level_note_said: bonds::fragile_note_said(&facts.rungs).map(|(_, said)| said),
        bonds: account
            .bonds
            .iter()
            .filter(|b| b.since <= as_of)
            .map(|b| BondView::of(b, as_of))
            .collect(),
        relationship_type: RelationshipTypes {
            recommended,
            actual,
        },
        value: values,
        tier,
        next_actions,
        recent_interactions: recent,
        open_tasks,
        monthly_margin: monthly_margin(account, as_of, cfg),
        last_contact: facts.last_contact,
        changed_on_two_devices: Vec::new(),
        lost_but_contacted: false,
        corrections: Vec::new(),
        cycles: own_cycles
            .iter()
            .map(|c| CycleRef {
                id: c.id,
                title: c.title.clone(),
                phase: c.phase,
                metric: c.metric,
            })
            .collect(),
    }
}

/// The newest interactions dated on or before `as_of`, newest first.
fn recent_interactions(account: &Account, today: i64) -> Vec<Interaction> {
    let dated = |i: &&Interaction| timestamp_day(i.at) <= today;
    if account.interactions.is_sorted_by_key(|i| i.at) {
        let end = account
            .interactions
            .partition_point(|i| timestamp_day(i.at) <= today);
        return account.interactions[..end]
            .iter()
            .rev()
            .take(RECENT_INTERACTIONS)
            .cloned()
            .collect();
    }
    // A hand-made history: pick the newest by time, not by position.
    let mut newest: Vec<&Interaction> = account.interactions.iter().filter(dated).collect();
    newest.sort_by_key(|i| std::cmp::Reverse(i.at));
    newest
        .into_iter()
        .take(RECENT_INTERACTIONS)
        .cloned()
        .collect()
}

/// Margin per calendar month for the 24 months ending with the as-of month, oldest first;
/// orders after `as_of` do not count, even inside its month.
fn monthly_margin(account: &Account, as_of: Date, cfg: &Config) -> Vec<MonthMargin> {
    let last = month_number(as_of);
    let first = last - (CHART_MONTHS - 1);
    let mut margins = vec![0.0; CHART_MONTHS as usize];
    for order in account.orders.iter().filter(|o| o.date <= as_of) {
        let month = month_number(order.date);
        if month >= first {
            margins[(month - first) as usize] += order_margin(order, cfg);
        }
    }
    margins
        .into_iter()
        .enumerate()
        .map(|(i, margin)| MonthMargin {
            month: month_label(first + i as i64),
            margin,
        })
        .collect()
}

pub fn summary(card: &Card) -> Summary {
    let top = card.next_actions.first();
    Summary {
        id: card.id.clone(),
        name: card.name.clone(),
        owner: card.owner.clone(),
        segment: card.segment.clone(),
        as_of: card.as_of,
        stage: card.stage,
        second_lifecycle: card.second_lifecycle,
        level: card.level,
        tier: card.tier,
        top_action: top.map(|a| a.code),
        top_action_due: top.map(|a| a.due),
        last_contact: card.last_contact,
        margin_12m: card.value.margin_12m,
        crv: card.value.crv,
        next_due: card.open_tasks.iter().map(|t| t.due).min(),
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
