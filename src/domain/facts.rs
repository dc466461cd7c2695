//! Everything about one customer that needs only its own history, as of a date: one pass
//! over each history, no sorting beyond the gaps of one customer's purchase days. Cached on
//! disk per customer and folded by the book-level figures and PDCA metrics.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::bonds::{self, Rungs};
use super::card::{Level, RelationshipType, Stage};
use super::config::Config;
use super::days::{add_days, day_number, timestamp_day};
use super::intensity;
use super::lifecycle;
use super::model::{
    Account, Channel, CustomerId, Direction, Lost, Order, Outcome, Purpose, Signal, TaskOrigin,
};
use super::rhythm::{self, BookRhythm};

/// A trailing year, the window of current value, cost to serve and retention.
pub const YEAR_DAYS: i64 = 365;

const EPOCH: Date = jiff::civil::date(1970, 1, 1);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerFacts {
    pub id: CustomerId,
    pub owner: String,
    pub segment: String,
    pub as_of: Date,

    // Profile.
    /// At least one contact person with a name, phone or email.
    pub has_contact: bool,
    pub category_spend: Option<f64>,
    /// The lost marker when it is in force on `as_of` (dated on or before it and not
    /// followed by an order); a marker followed by an order means the customer was won back.
    pub lost: Option<Lost>,

    // Orders (only those dated on or before `as_of`).
    /// Distinct days with an order: several orders on one day are one purchase.
    pub purchase_days: u32,
    pub first_order: Option<Date>,
    pub last_order: Option<Date>,
    /// First order of the current lifecycle (after the last churn), for the growth rule.
    pub lifecycle_start: Option<Date>,
    /// The customer churned once and ordered again (won back).
    pub second_lifecycle: bool,
    /// Days without an order that ended the previous lifecycle (0 when won back after a
    /// lost marker without such a gap).
    pub won_back_after_days: Option<i64>,
    /// The customer's own rhythm: the median of the gaps between consecutive purchase days,
    /// when it has enough purchase days (`lifecycle.own_gap_min_purchase_days`).
    pub own_gap_days: Option<f64>,
    /// The book rhythm these facts were settled with: the expected gap of a customer
    /// without an own gap, and the basis of the early gaps in `breaks`.
    pub book_rhythm: BookRhythm,
    /// What decides where the current lifecycle starts (`lifecycle_start`,
    /// `second_lifecycle`, `won_back_after_days` are settled from it and the book rhythm).
    pub breaks: LifecycleBreaks,
    /// Margin in the last window, (as_of − w, as_of], and the one before, (as_of − 2w, as_of − w].
    pub margin_last: f64,
    pub margin_prior: f64,
    /// Trailing 12 months, (as_of − 365, as_of].
    pub margin_12m: f64,
    pub revenue_12m: f64,
    /// Margin ÷ revenue over 12 months, else over all orders, else the default rate.
    pub margin_rate: f64,
    /// Margin over the 365 days ending with the last order: what a won-back customer would
    /// bring again (the CLV base of a churned customer).
    pub margin_before_last_order: f64,
    /// Ordered in (as_of − 730, as_of − 365] and in (as_of − 365, as_of]: retention rate.
    pub ordered_year_before_last: bool,
    pub ordered_last_year: bool,

    // Interactions (only those whose UTC date is on or before `as_of`).
    pub last_contact: Option<Date>,
    pub interactions_12m: u32,
    pub cost_to_serve_12m: f64,
    pub referrals_12m: u32,
    /// Contacts in the intensity window (as_of − 180, as_of].
    pub inbound_recent: u32,
    pub outbound_recent: u32,
    /// How many of the most recent outbound contacts in a row got no response.
    pub unanswered_streak: u32,
    /// Complaints or negative outcomes in the last window (an interaction counts once).
    pub complaints_last: u32,
    pub satisfaction_sum_last: f64,
    pub satisfaction_count_last: u32,
    pub satisfaction_sum_prior: f64,
    pub satisfaction_count_prior: u32,
    pub competitor_last: u32,
    pub payment_delayed_last: u32,
    pub price_objection_last: u32,

    // Bonds and tasks.
    pub rungs: Rungs,
    pub level: Level,
    pub open_follow_ups: u32,
    /// Open follow-ups with due < as_of.
    pub overdue_follow_ups: u32,
    pub oldest_overdue: Option<Date>,
    /// Earliest due date among all open tasks.
    pub next_due: Option<Date>,

    // Classification.
    pub stage: Stage,
    pub decline_score: u32,
    /// The actual relationship type without PDCA cycles (the card adds those).
    pub actual_type: RelationshipType,
}

impl CustomerFacts {
    pub fn as_of_day(&self) -> i64 {
        day_number(self.as_of)
    }

    /// Days from the last order to `as_of`.
    pub fn days_since_last_order(&self) -> Option<i64> {
        self.last_order.map(|d| self.as_of_day() - day_number(d))
    }

    pub fn mean_satisfaction_last(&self) -> Option<f64> {
        mean(self.satisfaction_sum_last, self.satisfaction_count_last)
    }

    pub fn mean_satisfaction_prior(&self) -> Option<f64> {
        mean(self.satisfaction_sum_prior, self.satisfaction_count_prior)
    }
}

/// A gap between two consecutive purchase days and the day of the order that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastGap {
    pub days: i64,
    pub ended_on: Date,
}

/// The history that can have ended a lifecycle, kept so the start of the current one can be
/// settled again when the book rhythm moves, without reading the orders again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LifecycleBreaks {
    /// Gaps with too few purchase days before them for an own gap: whether they ended a
    /// lifecycle is judged against the book rhythm as of `as_of` (at most
    /// `own_gap_min_purchase_days − 1` of them, the first gaps).
    pub early: Vec<PastGap>,
    /// The latest later gap longer than the churn threshold of the own gap before it.
    pub late: Option<PastGap>,
    /// A lost marker followed by an order: that order, and its distance from the last order
    /// on or before the marker (none when there was none).
    pub comeback: Option<Comeback>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comeback {
    pub on: Date,
    pub after_days: Option<i64>,
}

fn mean(sum: f64, count: u32) -> Option<f64> {
    (count > 0).then(|| sum / f64::from(count))
}

pub fn order_margin(order: &Order, cfg: &Config) -> f64 {
    order
        .margin
        .unwrap_or(order.amount * cfg.value.default_margin_rate)
}

pub fn channel_cost(channel: Channel, cfg: &Config) -> f64 {
    let v = &cfg.value;
    match channel {
        Channel::Phone => v.cost_phone,
        Channel::Email => v.cost_email,
        Channel::Chat => v.cost_chat,
        Channel::Letter => v.cost_letter,
        Channel::Meeting => v.cost_meeting,
        Channel::Event => v.cost_event,
        Channel::Other => v.cost_other,
    }
}

fn is_sorted(account: &Account) -> bool {
    account.orders.is_sorted_by_key(|o| o.date) && account.interactions.is_sorted_by_key(|i| i.at)
}

/// One customer's facts, settled with the book rhythm `rhythm` (a book pass computes them
/// with any rhythm, then `settle`s those whose rhythm differs from the book's).
pub fn customer_facts(
    account: &Account,
    as_of: Date,
    cfg: &Config,
    rhythm: BookRhythm,
) -> CustomerFacts {
    // Histories are kept sorted by the store; an unsorted one (a hand-made import) is
    // sorted on a copy rather than misread.
    if !is_sorted(account) {
        let mut sorted = account.clone();
        sorted.sort_histories();
        return customer_facts(&sorted, as_of, cfg, rhythm);
    }
    let customer = &account.customer;
    let today = day_number(as_of);
    let rungs = bonds::rungs(&account.bonds, as_of);
    let mut facts = CustomerFacts {
        id: customer.id.clone(),
        owner: customer.owner.clone(),
        segment: customer.segment.clone(),
        as_of,
        has_contact: customer.contacts.iter().any(|c| {
            !(c.name.trim().is_empty() && c.phone.trim().is_empty() && c.email.trim().is_empty())
        }),
        category_spend: customer.category_spend,
        lost: None,
        purchase_days: 0,
        first_order: None,
        last_order: None,
        lifecycle_start: None,
        second_lifecycle: false,
        won_back_after_days: None,
        own_gap_days: None,
        book_rhythm: rhythm,
        breaks: LifecycleBreaks::default(),
        margin_last: 0.0,
        margin_prior: 0.0,
        margin_12m: 0.0,
        revenue_12m: 0.0,
        margin_rate: cfg.value.default_margin_rate,
        margin_before_last_order: 0.0,
        ordered_year_before_last: false,
        ordered_last_year: false,
        last_contact: None,
        interactions_12m: 0,
        cost_to_serve_12m: 0.0,
        referrals_12m: 0,
        inbound_recent: 0,
        outbound_recent: 0,
        unanswered_streak: 0,
        complaints_last: 0,
        satisfaction_sum_last: 0.0,
        satisfaction_count_last: 0,
        satisfaction_sum_prior: 0.0,
        satisfaction_count_prior: 0,
        competitor_last: 0,
        payment_delayed_last: 0,
        price_objection_last: 0,
        rungs,
        level: bonds::level(&rungs),
        open_follow_ups: 0,
        overdue_follow_ups: 0,
        oldest_overdue: None,
        next_due: None,
        stage: Stage::Acquisition,
        decline_score: 0,
        actual_type: RelationshipType::Basic,
    };
    add_orders(&mut facts, account, today, cfg);
    add_interactions(&mut facts, account, today, cfg);
    add_tasks(&mut facts, account, as_of);
    settle(&mut facts, rhythm, cfg);
    facts.actual_type = intensity::actual(
        facts.inbound_recent,
        facts.outbound_recent,
        facts.rungs.structural,
        cfg,
    );
    facts
}

/// Sets everything that depends on the book rhythm: where the current lifecycle starts,
/// the stage and the decline score. Pure and cheap, so a moved book rhythm re-settles
/// every customer's facts without reading a history.
pub fn settle(facts: &mut CustomerFacts, rhythm: BookRhythm, cfg: &Config) {
    facts.book_rhythm = rhythm;
    let threshold = rhythm::churn_threshold_days(rhythm.days, cfg);
    let (mut start, mut second, mut after) = (facts.first_order, false, None);
    let breaks = &facts.breaks;
    // A gap longer than the churn threshold of its time ended a lifecycle.
    for gap in breaks.early.iter().filter(|g| g.days as f64 > threshold) {
        (start, second, after) = (Some(gap.ended_on), true, Some(gap.days));
    }
    if let Some(gap) = breaks.late {
        (start, second, after) = (Some(gap.ended_on), true, Some(gap.days));
    }
    if let Some(back) = breaks.comeback {
        if start.is_none_or(|s| s < back.on) {
            (start, second, after) = (Some(back.on), true, back.after_days);
        }
    }
    facts.lifecycle_start = start;
    facts.second_lifecycle = second;
    facts.won_back_after_days = after;
    let (stage, score) = lifecycle::classify(facts, cfg);
    facts.stage = stage;
    facts.decline_score = score;
}

fn add_orders(facts: &mut CustomerFacts, account: &Account, today: i64, cfg: &Config) {
    let window = cfg.lifecycle.window_days;
    let orders: &[Order] = {
        let end = account
            .orders
            .partition_point(|o| day_number(o.date) <= today);
        &account.orders[..end]
    };
    let (mut revenue_all, mut margin_all) = (0.0, 0.0);
    // Gaps of the purchase days seen so far, kept sorted for a running median: a gap longer
    // than the churn threshold of its time ended a lifecycle (settled in `settle`).
    let mut gaps: Vec<i64> = Vec::new();
    let mut previous_day: Option<i64> = None;
    for order in orders {
        let day = day_number(order.date);
        let margin = order_margin(order, cfg);
        let age = today - day;
        revenue_all += order.amount;
        margin_all += margin;
        if age < window {
            facts.margin_last += margin;
        } else if age < 2 * window {
            facts.margin_prior += margin;
        }
        if age < YEAR_DAYS {
            facts.margin_12m += margin;
            facts.revenue_12m += order.amount;
            facts.ordered_last_year = true;
        } else if age < 2 * YEAR_DAYS {
            facts.ordered_year_before_last = true;
        }
        match previous_day {
            None => {
                facts.first_order = Some(order.date);
                facts.purchase_days = 1;
            }
            Some(previous) if previous == day => {}
            Some(previous) => {
                let gap = PastGap {
                    days: day - previous,
                    ended_on: order.date,
                };
                match rhythm::own_gap(&gaps, cfg) {
                    None => facts.breaks.early.push(gap),
                    Some(own) => {
                        if gap.days as f64 > rhythm::churn_threshold_days(own, cfg) {
                            facts.breaks.late = Some(gap);
                        }
                    }
                }
                let gap = gap.days;
                let at = gaps.partition_point(|&g| g < gap);
                gaps.insert(at, gap);
                facts.purchase_days += 1;
            }
        }
        previous_day = Some(day);
        facts.last_order = Some(order.date);
    }
    facts.own_gap_days = rhythm::own_gap(&gaps, cfg);
    if facts.revenue_12m > 0.0 {
        facts.margin_rate = facts.margin_12m / facts.revenue_12m;
    } else if revenue_all > 0.0 {
        facts.margin_rate = margin_all / revenue_all;
    }
    if let Some(last) = previous_day {
        facts.margin_before_last_order = orders
            .iter()
            .rev()
            .take_while(|o| last - day_number(o.date) < YEAR_DAYS)
            .map(|o| order_margin(o, cfg))
            .sum();
    }
    apply_lost_marker(facts, account, orders, today);
}

/// A lost marker dated after `as_of` is not yet in force; one followed by an order means
/// the customer came back, which starts a new lifecycle at that order (in `settle`).
fn apply_lost_marker(facts: &mut CustomerFacts, account: &Account, orders: &[Order], today: i64) {
    let Some(lost) = account.customer.lost.as_ref() else {
        return;
    };
    let lost_day = day_number(lost.date);
    if lost_day > today {
        return;
    }
    match orders.iter().find(|o| day_number(o.date) > lost_day) {
        None => facts.lost = Some(lost.clone()),
        Some(comeback) => {
            let comeback_day = day_number(comeback.date);
            facts.breaks.comeback = Some(Comeback {
                on: comeback.date,
                after_days: orders
                    .iter()
                    .rev()
                    .find(|o| day_number(o.date) <= lost_day)
                    .map(|before| comeback_day - day_number(before.date)),
            });
        }
    }
}

fn add_interactions(facts: &mut CustomerFacts, account: &Account, today: i64, cfg: &Config) {
    let window = cfg.lifecycle.window_days;
    let recent = cfg.intensity.window_days;
    let end = account
        .interactions
        .partition_point(|i| timestamp_day(i.at) <= today);
    let interactions = &account.interactions[..end];
    let mut streak_open = true;
    for interaction in interactions.iter().rev() {
        let age = today - timestamp_day(interaction.at);
        if facts.last_contact.is_none() {
            facts.last_contact = Some(add_days(EPOCH, timestamp_day(interaction.at)));
        }
        if interaction.direction == Direction::Outbound && streak_open {
            if interaction.outcome == Outcome::NoResponse {
                facts.unanswered_streak += 1;
            } else {
                streak_open = false;
            }
        }
        if age < recent {
            match interaction.direction {
                Direction::Inbound => facts.inbound_recent += 1,
                Direction::Outbound => facts.outbound_recent += 1,
            }
        }
        if age < YEAR_DAYS {
            facts.interactions_12m += 1;
            facts.cost_to_serve_12m += channel_cost(interaction.channel, cfg);
            facts.referrals_12m += count(&interaction.signals, Signal::ReferralGiven);
        }
        if age < window {
            if interaction.purpose == Purpose::Complaint || interaction.outcome == Outcome::Negative
            {
                facts.complaints_last += 1;
            }
            if let Some(s) = interaction.satisfaction {
                facts.satisfaction_sum_last += f64::from(s);
                facts.satisfaction_count_last += 1;
            }
            facts.competitor_last += count(&interaction.signals, Signal::CompetitorMentioned);
            facts.payment_delayed_last += count(&interaction.signals, Signal::PaymentDelayed);
            facts.price_objection_last += count(&interaction.signals, Signal::PriceObjection);
        } else if age < 2 * window {
            if let Some(s) = interaction.satisfaction {
                facts.satisfaction_sum_prior += f64::from(s);
                facts.satisfaction_count_prior += 1;
            }
        }
    }
}

fn count(signals: &[Signal], wanted: Signal) -> u32 {
    signals.iter().filter(|&&s| s == wanted).count() as u32
}

fn add_tasks(facts: &mut CustomerFacts, account: &Account, as_of: Date) {
    for task in account.tasks.iter().filter(|t| t.open_on(as_of)) {
        facts.next_due = Some(facts.next_due.map_or(task.due, |d| d.min(task.due)));
        if task.origin != TaskOrigin::FollowUp {
            continue;
        }
        facts.open_follow_ups += 1;
        if task.due < as_of {
            facts.overdue_follow_ups += 1;
            facts.oldest_overdue = Some(facts.oldest_overdue.map_or(task.due, |d| d.min(task.due)));
        }
    }
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;
