//! The lifecycle stage (DOMAIN.md §4): churned, acquisition, decline, growth, maturity,
//! first match wins, with the evidence of every rule that fired or nearly fired.

use super::card::Stage;
use super::config::Config;
use super::days::day_number;
use super::facts::CustomerFacts;
use super::format::{change_percent, money};
use super::rhythm::churn_threshold_days;

/// How a rule came out: nearly fired rules are shown as evidence but never scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Quiet,
    Near,
    Fired,
}

impl Hit {
    pub fn fired(self) -> bool {
        self == Hit::Fired
    }
}

/// Where the expected gap between orders comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapBasis {
    /// The customer's own median gap.
    Own,
    /// The book rhythm, measured from the customers with an own gap.
    Book,
    /// The configured book rhythm: too few customers have an own gap.
    Default,
}

/// The expected gap g between orders: the own gap if there is one, else the book rhythm.
pub fn expected_gap(f: &CustomerFacts) -> (f64, GapBasis) {
    match f.own_gap_days {
        Some(own) => (own, GapBasis::Own),
        None if f.book_rhythm.measured => (f.book_rhythm.days, GapBasis::Book),
        None => (f.book_rhythm.days, GapBasis::Default),
    }
}

/// Churned after max(churn_min_days, churn_gap_multiple × expected gap) days without an
/// order.
pub fn churn_threshold(f: &CustomerFacts, cfg: &Config) -> f64 {
    churn_threshold_days(expected_gap(f).0, cfg)
}

/// Rule 1: a lost marker in force, or no order for the churn threshold.
pub fn churn(f: &CustomerFacts, cfg: &Config) -> Hit {
    if f.lost.is_some() {
        return Hit::Fired;
    }
    let Some(days) = f.days_since_last_order() else {
        return Hit::Quiet;
    };
    let threshold = churn_threshold(f, cfg);
    if days as f64 >= threshold {
        Hit::Fired
    } else if days as f64 >= cfg.lifecycle.near_gap_share * threshold {
        Hit::Near
    } else {
        Hit::Quiet
    }
}

/// Overdue: a silence longer than `silence_ratio` expected gaps (o > 1.5). Growth needs a
/// customer that is not overdue.
pub fn overdue(f: &CustomerFacts, cfg: &Config) -> bool {
    let (gap, _) = expected_gap(f);
    f.days_since_last_order()
        .is_some_and(|days| days as f64 > cfg.lifecycle.silence_ratio * gap)
}

/// The six warning signs of rule 3; a severe value drop or a long silence scores 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclineSignals {
    pub value_drop: Hit,
    pub severe_drop: bool,
    /// Silence: o > silence_ratio; `long_silence` when o >= silence_severe_ratio.
    pub silence: Hit,
    pub long_silence: bool,
    pub unanswered: Hit,
    pub complaints: Hit,
    pub satisfaction: Hit,
    pub warnings: Hit,
}

impl DeclineSignals {
    pub fn score(&self) -> u32 {
        let one = |h: Hit| u32::from(h.fired());
        let two_if = |h: Hit, severe: bool| match (h.fired(), severe) {
            (true, true) => 2,
            (true, false) => 1,
            _ => 0,
        };
        two_if(self.value_drop, self.severe_drop)
            + two_if(self.silence, self.long_silence)
            + one(self.unanswered)
            + one(self.complaints)
            + one(self.satisfaction)
            + one(self.warnings)
    }

    fn any(&self) -> bool {
        [
            self.value_drop,
            self.silence,
            self.unanswered,
            self.complaints,
            self.satisfaction,
            self.warnings,
        ]
        .iter()
        .any(|&h| h != Hit::Quiet)
    }
}

/// A count rule: fired at `needed`, nearly fired from one up.
fn count_hit(count: u32, needed: usize) -> Hit {
    let count = count as usize;
    if count >= needed {
        Hit::Fired
    } else if count >= 1 {
        Hit::Near
    } else {
        Hit::Quiet
    }
}

/// The silence signal: o = days since the last order ÷ expected gap; fired above
/// `silence_ratio`, scoring 2 from `silence_severe_ratio`; nearly from `near_gap_share` of
/// the limit. Every customer with an order is measured.
fn silence(f: &CustomerFacts, cfg: &Config) -> (Hit, bool) {
    let l = &cfg.lifecycle;
    let Some(days) = f.days_since_last_order() else {
        return (Hit::Quiet, false);
    };
    let (gap, _) = expected_gap(f);
    let days = days as f64;
    let limit = l.silence_ratio * gap;
    let hit = if days > limit {
        Hit::Fired
    } else if days > l.near_gap_share * limit {
        Hit::Near
    } else {
        Hit::Quiet
    };
    (hit, days >= l.silence_severe_ratio * gap)
}

pub fn decline_signals(f: &CustomerFacts, cfg: &Config) -> DeclineSignals {
    let l = &cfg.lifecycle;
    let (value_drop, severe_drop) = if f.margin_prior > 0.0 {
        let ratio = f.margin_last / f.margin_prior;
        let hit = if ratio <= l.value_drop_ratio {
            Hit::Fired
        } else if ratio <= l.near_value_ratio {
            Hit::Near
        } else {
            Hit::Quiet
        };
        (hit, ratio <= l.value_drop_severe_ratio)
    } else {
        (Hit::Quiet, false)
    };
    let (silence, long_silence) = silence(f, cfg);
    let satisfaction = match f.mean_satisfaction_last() {
        None => Hit::Quiet,
        Some(mean) => {
            let drop = f.mean_satisfaction_prior().map(|prior| prior - mean);
            if mean <= l.satisfaction_floor || drop.is_some_and(|d| d >= l.satisfaction_drop) {
                Hit::Fired
            } else if mean <= l.satisfaction_floor + l.near_satisfaction
                || drop.is_some_and(|d| d > 0.0 && d >= l.satisfaction_drop - l.near_satisfaction)
            {
                Hit::Near
            } else {
                Hit::Quiet
            }
        }
    };
    let warnings = if f.competitor_last + f.payment_delayed_last > 0 {
        Hit::Fired
    } else {
        Hit::Quiet
    };
    DeclineSignals {
        value_drop,
        severe_drop,
        silence,
        long_silence,
        unanswered: count_hit(f.unanswered_streak, l.unanswered_count),
        complaints: count_hit(f.complaints_last, l.complaint_count),
        satisfaction,
        warnings,
    }
}

/// Days since the first order of the current lifecycle.
fn lifecycle_age(f: &CustomerFacts) -> Option<i64> {
    f.lifecycle_start.map(|d| f.as_of_day() - day_number(d))
}

/// Rule 4a: the relationship (this lifecycle) is younger than growth_days.
pub fn new_relationship(f: &CustomerFacts, cfg: &Config) -> Hit {
    match lifecycle_age(f) {
        Some(age) if age < cfg.lifecycle.growth_days => Hit::Fired,
        _ => Hit::Quiet,
    }
}

/// Rule 4b: margin in the last window at least growth_ratio × the prior window. With no
/// prior margin any positive margin is a rise.
pub fn rising(f: &CustomerFacts, cfg: &Config) -> Hit {
    let l = &cfg.lifecycle;
    if f.margin_last <= 0.0 {
        return Hit::Quiet;
    }
    if f.margin_prior <= 0.0 {
        return Hit::Fired;
    }
    let ratio = f.margin_last / f.margin_prior;
    if ratio >= l.growth_ratio {
        Hit::Fired
    } else if ratio >= l.near_growth_ratio {
        Hit::Near
    } else {
        Hit::Quiet
    }
}

/// The stage and the decline score, first matching rule wins.
pub fn classify(f: &CustomerFacts, cfg: &Config) -> (Stage, u32) {
    let score = decline_signals(f, cfg).score();
    let stage = if churn(f, cfg).fired() {
        Stage::Churned
    } else if f.purchase_days == 0 {
        Stage::Acquisition
    } else if score >= cfg.lifecycle.decline_score {
        Stage::Decline
    } else if !overdue(f, cfg) && (new_relationship(f, cfg).fired() || rising(f, cfg).fired()) {
        Stage::Growth
    } else {
        Stage::Maturity
    };
    (stage, score)
}

fn margin_comparison(f: &CustomerFacts, cfg: &Config) -> String {
    let w = cfg.lifecycle.window_days;
    let mut line = format!(
        "margin last {w} days {}, prior {w} days {}",
        money(f.margin_last),
        money(f.margin_prior)
    );
    if f.margin_prior > 0.0 {
        line.push_str(": ");
        line.push_str(&change_percent(f.margin_last / f.margin_prior));
    }
    line
}

/// A multiple as people read it: at most two decimals, no trailing zeros ("2.8", "1.52", "3").
fn ratio(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Days, whole when whole; a median of an even count ends in .5, the book rhythm (a median
/// of such medians) can end in .25 or .75.
fn days_text(days: f64) -> String {
    if days.fract() == 0.0 {
        money(days)
    } else {
        ratio(days)
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn scores(hit: Hit, points: u32) -> &'static str {
    match (hit, points) {
        (Hit::Fired, 2) => " (scores 2)",
        (Hit::Fired, _) => " (scores 1)",
        _ => " (nearly)",
    }
}

/// Plain-words evidence, deciding rule first, then every other rule that fired or nearly
/// fired; never empty.
pub fn evidence(f: &CustomerFacts, cfg: &Config) -> Vec<String> {
    let l = &cfg.lifecycle;
    let w = l.window_days;
    let mut lines = Vec::new();
    if let Some(lost) = &f.lost {
        lines.push(format!(
            "marked lost on {} (reason: {})",
            lost.date, lost.reason
        ));
    }
    let churn_hit = churn(f, cfg);
    if let (Some(days), true) = (f.days_since_last_order(), churn_hit != Hit::Quiet) {
        let threshold = churn_threshold(f, cfg);
        let (gap, gap_basis) = expected_gap(f);
        let basis = if l.churn_gap_multiple * gap > l.churn_min_days as f64 {
            let rhythm = match gap_basis {
                GapBasis::Own => "its own rhythm",
                GapBasis::Book => "the book's rhythm",
                GapBasis::Default => "the book's default rhythm",
            };
            format!(
                " ({} × {rhythm} of {} days)",
                ratio(l.churn_gap_multiple),
                days_text(gap)
            )
        } else {
            String::new()
        };
        let verb = if days as f64 >= threshold {
            "churned"
        } else {
            "churns"
        };
        lines.push(format!(
            "no order for {days} days; {verb} after {} days{basis}",
            money(threshold.ceil())
        ));
    }
    let churn_end = lines.len();
    if f.purchase_days == 0 {
        lines.push("no order yet".to_string());
    }
    let acquisition_end = lines.len();
    let signals = decline_signals(f, cfg);
    if signals.any() || f.decline_score > 0 {
        lines.push(format!(
            "decline score {} (decline at {})",
            f.decline_score, l.decline_score
        ));
    }
    if signals.value_drop != Hit::Quiet {
        let points = if signals.severe_drop { 2 } else { 1 };
        lines.push(format!(
            "value drop: {}{}",
            margin_comparison(f, cfg),
            scores(signals.value_drop, points)
        ));
    }
    if let (Some(days), true) = (f.days_since_last_order(), signals.silence != Hit::Quiet) {
        let (gap, basis) = expected_gap(f);
        let whose = match basis {
            GapBasis::Own => format!(
                "its own rhythm: the median gap between its {} purchase days",
                f.purchase_days
            ),
            GapBasis::Book => "the book's rhythm; too few orders for its own".to_string(),
            GapBasis::Default => {
                "the book's default rhythm; too few orders for its own".to_string()
            }
        };
        let points = if signals.long_silence { 2 } else { 1 };
        lines.push(format!(
            "silence: no order for {days} days, {} × the {} days expected between orders ({whose}){}",
            ratio(days as f64 / gap),
            days_text(gap),
            scores(signals.silence, points)
        ));
    }
    if signals.unanswered != Hit::Quiet {
        let which = match f.unanswered_streak {
            1 => "the last outbound contact".to_string(),
            n => format!("the last {n} outbound contacts"),
        };
        lines.push(format!(
            "unanswered: {which} got no response{}",
            scores(signals.unanswered, 1)
        ));
    }
    if signals.complaints != Hit::Quiet {
        lines.push(format!(
            "complaints: {} in the last {w} days{}",
            plural(
                f.complaints_last,
                "complaint or negative outcome",
                "complaints or negative outcomes"
            ),
            scores(signals.complaints, 1)
        ));
    }
    if let (Some(mean), true) = (
        f.mean_satisfaction_last(),
        signals.satisfaction != Hit::Quiet,
    ) {
        let prior = f
            .mean_satisfaction_prior()
            .map_or("no ratings".to_string(), |p| format!("{p:.1}"));
        lines.push(format!(
            "satisfaction: mean {mean:.1} over {} in the last {w} days, prior {w} days {prior}{}",
            plural(f.satisfaction_count_last, "rating", "ratings"),
            scores(signals.satisfaction, 1)
        ));
    }
    if signals.warnings.fired() {
        let mut parts = Vec::new();
        if f.competitor_last > 0 {
            parts.push(format!("competitor mentioned {}×", f.competitor_last));
        }
        if f.payment_delayed_last > 0 {
            parts.push(format!("payment delayed {}×", f.payment_delayed_last));
        }
        lines.push(format!(
            "warning signals in the last {w} days: {} (scores 1)",
            parts.join(", ")
        ));
    }
    let decline_end = lines.len();
    // Growth needs a customer that is not overdue; a growth rule that holds for an overdue
    // one is shown, saying why it did not count.
    let but_overdue = if overdue(f, cfg) { ", but overdue" } else { "" };
    if new_relationship(f, cfg).fired() {
        let age = lifecycle_age(f).unwrap_or(0);
        let which = if f.second_lifecycle {
            "first order of this lifecycle"
        } else {
            "first order"
        };
        lines.push(format!(
            "{which} {age} days ago (growth within {} days{but_overdue})",
            l.growth_days
        ));
    }
    let rise = rising(f, cfg);
    if rise != Hit::Quiet {
        let tail = match (rise.fired(), but_overdue.is_empty()) {
            (false, _) => " (nearly)",
            (true, true) => "",
            (true, false) => " (but overdue)",
        };
        lines.push(format!("rising: {}{tail}", margin_comparison(f, cfg)));
    }
    let growth_end = lines.len();
    // The deciding rule's lines come first; the others keep the rule order.
    let first = match f.stage {
        Stage::Churned => 0..churn_end,
        Stage::Acquisition => churn_end..acquisition_end,
        Stage::Decline => acquisition_end..decline_end,
        Stage::Growth => decline_end..growth_end,
        Stage::Maturity => growth_end..growth_end,
    };
    lines[..first.end].rotate_right(first.end - first.start);
    if lines.is_empty() {
        let age = lifecycle_age(f).unwrap_or(0);
        lines.push(format!(
            "stable: no decline signal, first order {age} days ago, {}",
            margin_comparison(f, cfg)
        ));
    }
    if f.second_lifecycle {
        let start = f
            .lifecycle_start
            .map_or(String::new(), |d| format!(" since {d}"));
        let gap = f.won_back_after_days.map_or(String::new(), |g| {
            format!(" after {g} days without an order")
        });
        lines.push(format!(
            "second lifecycle: won back, ordering again{start}{gap}"
        ));
    }
    lines
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
