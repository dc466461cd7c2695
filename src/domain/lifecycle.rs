//! The lifecycle stage (DOMAIN.md §4): churned, acquisition, decline, growth, maturity,
//! first match wins, with the evidence of every rule that fired or nearly fired.

use super::card::Stage;
use super::config::Config;
use super::days::day_number;
use super::facts::CustomerFacts;
use super::format::{change_percent, money};
use super::rhythm::churn_threshold_days;
use super::text::Text;

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

/// The margin of the last window against the one before, in English and as a message.
fn margin_comparison(f: &CustomerFacts, cfg: &Config) -> (String, Text) {
    let w = cfg.lifecycle.window_days;
    let mut line = format!(
        "margin last {w} days {}, prior {w} days {}",
        money(f.margin_last),
        money(f.margin_prior)
    );
    let mut change = Text::empty();
    if f.margin_prior > 0.0 {
        let percent = change_percent(f.margin_last / f.margin_prior);
        line.push_str(": ");
        line.push_str(&percent);
        change = Text::new("ev-margin-change").arg("change", percent);
    }
    let said = Text::new("ev-margin")
        .arg("w", w)
        .arg("last", money(f.margin_last))
        .arg("prior", money(f.margin_prior))
        .part("change", change);
    (line, said)
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

/// "1 rating" or "3 ratings", in English and as the message `keys.0` or `keys.1`.
fn plural(n: u32, one: &str, many: &str, keys: (&str, &str)) -> (String, Text) {
    if n == 1 {
        (format!("1 {one}"), Text::new(keys.0))
    } else {
        (format!("{n} {many}"), Text::new(keys.1).arg("n", n))
    }
}

fn scores(hit: Hit, points: u32) -> (&'static str, Text) {
    match (hit, points) {
        (Hit::Fired, 2) => (" (scores 2)", Text::new("ev-scores-2")),
        (Hit::Fired, _) => (" (scores 1)", Text::new("ev-scores-1")),
        _ => (" (nearly)", Text::new("ev-nearly")),
    }
}

/// Plain-words evidence, deciding rule first, then every other rule that fired or nearly
/// fired; never empty.
pub fn evidence(f: &CustomerFacts, cfg: &Config) -> Vec<String> {
    evidence_said(f, cfg)
        .into_iter()
        .map(|(line, _)| line)
        .collect()
}

/// `evidence`, each line also as a message for the front ends to say in the reader's
/// language (the same words: tests render the messages in English and compare).
pub fn evidence_said(f: &CustomerFacts, cfg: &Config) -> Vec<(String, Text)> {
    let l = &cfg.lifecycle;
    let w = l.window_days;
    let mut lines: Vec<(String, Text)> = Vec::new();
    if let Some(lost) = &f.lost {
        lines.push((
            format!("marked lost on {} (reason: {})", lost.date, lost.reason),
            Text::new("ev-marked-lost")
                .arg("date", lost.date)
                .part("reason", Text::code("lost-reason", lost.reason.code())),
        ));
    }
    let churn_hit = churn(f, cfg);
    if let (Some(days), true) = (f.days_since_last_order(), churn_hit != Hit::Quiet) {
        let threshold = churn_threshold(f, cfg);
        let (gap, gap_basis) = expected_gap(f);
        let (basis, basis_said) = if l.churn_gap_multiple * gap > l.churn_min_days as f64 {
            let (rhythm, key) = match gap_basis {
                GapBasis::Own => ("its own rhythm", "ev-rhythm-own"),
                GapBasis::Book => ("the book's rhythm", "ev-rhythm-book"),
                GapBasis::Default => ("the book's default rhythm", "ev-rhythm-default"),
            };
            (
                format!(
                    " ({} × {rhythm} of {} days)",
                    ratio(l.churn_gap_multiple),
                    days_text(gap)
                ),
                Text::new("ev-churn-basis")
                    .arg("multiple", ratio(l.churn_gap_multiple))
                    .part("rhythm", Text::new(key))
                    .arg("gap", days_text(gap)),
            )
        } else {
            (String::new(), Text::empty())
        };
        let (verb, verb_key) = if days as f64 >= threshold {
            ("churned", "ev-verb-churned")
        } else {
            ("churns", "ev-verb-churns")
        };
        let threshold = money(threshold.ceil());
        lines.push((
            format!("no order for {days} days; {verb} after {threshold} days{basis}"),
            Text::new("ev-churn")
                .arg("days", days)
                .part("verb", Text::new(verb_key))
                .arg("threshold", threshold)
                .part("basis", basis_said),
        ));
    }
    let churn_end = lines.len();
    if f.purchase_days == 0 {
        lines.push(("no order yet".to_string(), Text::new("ev-no-order-yet")));
    }
    let acquisition_end = lines.len();
    let signals = decline_signals(f, cfg);
    if signals.any() || f.decline_score > 0 {
        lines.push((
            format!(
                "decline score {} (decline at {})",
                f.decline_score, l.decline_score
            ),
            Text::new("ev-decline-score")
                .arg("score", f.decline_score)
                .arg("at", l.decline_score),
        ));
    }
    if signals.value_drop != Hit::Quiet {
        let points = if signals.severe_drop { 2 } else { 1 };
        let (margin, margin_said) = margin_comparison(f, cfg);
        let (score, score_said) = scores(signals.value_drop, points);
        lines.push((
            format!("value drop: {margin}{score}"),
            Text::new("ev-value-drop")
                .part("margin", margin_said)
                .part("scores", score_said),
        ));
    }
    if let (Some(days), true) = (f.days_since_last_order(), signals.silence != Hit::Quiet) {
        let (gap, basis) = expected_gap(f);
        let (whose, whose_said) = match basis {
            GapBasis::Own => (
                format!(
                    "its own rhythm: the median gap between its {} purchase days",
                    f.purchase_days
                ),
                Text::new("ev-whose-own").arg("n", f.purchase_days),
            ),
            GapBasis::Book => (
                "the book's rhythm; too few orders for its own".to_string(),
                Text::new("ev-whose-book"),
            ),
            GapBasis::Default => (
                "the book's default rhythm; too few orders for its own".to_string(),
                Text::new("ev-whose-default"),
            ),
        };
        let points = if signals.long_silence { 2 } else { 1 };
        let (score, score_said) = scores(signals.silence, points);
        let times = ratio(days as f64 / gap);
        lines.push((
            format!(
                "silence: no order for {days} days, {times} × the {} days expected between orders ({whose}){score}",
                days_text(gap),
            ),
            Text::new("ev-silence")
                .arg("days", days)
                .arg("ratio", times)
                .arg("gap", days_text(gap))
                .part("whose", whose_said)
                .part("scores", score_said),
        ));
    }
    if signals.unanswered != Hit::Quiet {
        let (which, which_said) = match f.unanswered_streak {
            1 => (
                "the last outbound contact".to_string(),
                Text::new("ev-last-outbound-one"),
            ),
            n => (
                format!("the last {n} outbound contacts"),
                Text::new("ev-last-outbound-many").arg("n", n),
            ),
        };
        let (score, score_said) = scores(signals.unanswered, 1);
        lines.push((
            format!("unanswered: {which} got no response{score}"),
            Text::new("ev-unanswered")
                .part("which", which_said)
                .part("scores", score_said),
        ));
    }
    if signals.complaints != Hit::Quiet {
        let (count, count_said) = plural(
            f.complaints_last,
            "complaint or negative outcome",
            "complaints or negative outcomes",
            ("ev-complaints-one", "ev-complaints-many"),
        );
        let (score, score_said) = scores(signals.complaints, 1);
        lines.push((
            format!("complaints: {count} in the last {w} days{score}"),
            Text::new("ev-complaints")
                .part("count", count_said)
                .arg("w", w)
                .part("scores", score_said),
        ));
    }
    if let (Some(mean), true) = (
        f.mean_satisfaction_last(),
        signals.satisfaction != Hit::Quiet,
    ) {
        let (prior, prior_said) = match f.mean_satisfaction_prior() {
            Some(p) => (
                format!("{p:.1}"),
                Text::new("ev-plain").arg("text", format!("{p:.1}")),
            ),
            None => ("no ratings".to_string(), Text::new("ev-no-ratings")),
        };
        let (ratings, ratings_said) = plural(
            f.satisfaction_count_last,
            "rating",
            "ratings",
            ("ev-ratings-one", "ev-ratings-many"),
        );
        let (score, score_said) = scores(signals.satisfaction, 1);
        lines.push((
            format!(
                "satisfaction: mean {mean:.1} over {ratings} in the last {w} days, prior {w} days {prior}{score}"
            ),
            Text::new("ev-satisfaction")
                .arg("mean", format!("{mean:.1}"))
                .part("ratings", ratings_said)
                .arg("w", w)
                .part("prior", prior_said)
                .part("scores", score_said),
        ));
    }
    if signals.warnings.fired() {
        let mut parts = Vec::new();
        let (mut competitor, mut payment) = (Text::empty(), Text::empty());
        if f.competitor_last > 0 {
            parts.push(format!("competitor mentioned {}×", f.competitor_last));
            competitor = Text::new("ev-competitor-times").arg("n", f.competitor_last);
        }
        if f.payment_delayed_last > 0 {
            parts.push(format!("payment delayed {}×", f.payment_delayed_last));
            payment = Text::new("ev-payment-times").arg("n", f.payment_delayed_last);
        }
        let separator = if parts.len() == 2 {
            Text::new("ev-list-separator")
        } else {
            Text::empty()
        };
        lines.push((
            format!(
                "warning signals in the last {w} days: {} (scores 1)",
                parts.join(", ")
            ),
            Text::new("ev-warnings")
                .arg("w", w)
                .part("competitor", competitor)
                .part("separator", separator)
                .part("payment", payment),
        ));
    }
    let decline_end = lines.len();
    // Growth needs a customer that is not overdue; a growth rule that holds for an overdue
    // one is shown, saying why it did not count.
    let is_overdue = overdue(f, cfg);
    let (but_overdue, but_overdue_said) = if is_overdue {
        (", but overdue", Text::new("ev-but-overdue"))
    } else {
        ("", Text::empty())
    };
    if new_relationship(f, cfg).fired() {
        let age = lifecycle_age(f).unwrap_or(0);
        let (which, which_key) = if f.second_lifecycle {
            ("first order of this lifecycle", "ev-first-order-lifecycle")
        } else {
            ("first order", "ev-first-order")
        };
        lines.push((
            format!(
                "{which} {age} days ago (growth within {} days{but_overdue})",
                l.growth_days
            ),
            Text::new("ev-new-relationship")
                .part("which", Text::new(which_key))
                .arg("age", age)
                .arg("days", l.growth_days)
                .part("overdue", but_overdue_said),
        ));
    }
    let rise = rising(f, cfg);
    if rise != Hit::Quiet {
        let (tail, tail_said) = match (rise.fired(), is_overdue) {
            (false, _) => (" (nearly)", Text::new("ev-nearly")),
            (true, false) => ("", Text::empty()),
            (true, true) => (" (but overdue)", Text::new("ev-tail-but-overdue")),
        };
        let (margin, margin_said) = margin_comparison(f, cfg);
        lines.push((
            format!("rising: {margin}{tail}"),
            Text::new("ev-rising")
                .part("margin", margin_said)
                .part("tail", tail_said),
        ));
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
        let (margin, margin_said) = margin_comparison(f, cfg);
        lines.push((
            format!("stable: no decline signal, first order {age} days ago, {margin}"),
            Text::new("ev-stable")
                .arg("age", age)
                .part("margin", margin_said),
        ));
    }
    if f.second_lifecycle {
        let (start, start_said) = match f.lifecycle_start {
            Some(d) => (format!(" since {d}"), Text::new("ev-since").arg("date", d)),
            None => (String::new(), Text::empty()),
        };
        let (gap, gap_said) = match f.won_back_after_days {
            Some(g) => (
                format!(" after {g} days without an order"),
                Text::new("ev-after-days").arg("days", g),
            ),
            None => (String::new(), Text::empty()),
        };
        lines.push((
            format!("second lifecycle: won back, ordering again{start}{gap}"),
            Text::new("ev-second-lifecycle")
                .part("start", start_said)
                .part("gap", gap_said),
        ));
    }
    lines
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
