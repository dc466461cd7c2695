//! Value (DOMAIN.md §5): current value, CLV, cost to serve, relationship value (CRV), the
//! customer pyramid, share of wallet, and the value quadrant of source 003.

use super::card::{Quadrant, Stage, Tier, ValueFigures};
use super::config::Config;
use super::facts::CustomerFacts;
use super::stats::BookStats;

/// r / (1 + d − r): the present value of a yearly amount kept at retention rate r and
/// discounted at d. Zero when the configuration makes the denominator non-positive.
pub fn retention_factor(r: f64, cfg: &Config) -> f64 {
    let denominator = 1.0 + cfg.value.discount_rate - r;
    if denominator > 0.0 && r.is_finite() {
        r / denominator
    } else {
        0.0
    }
}

/// CLV = m × r / (1 + d − r).
pub fn clv(margin: f64, r: f64, cfg: &Config) -> f64 {
    margin * retention_factor(r, cfg)
}

/// CRV = (m − c) × r / (1 + d − r) + referrals × referral value.
pub fn crv(f: &CustomerFacts, r: f64, cfg: &Config) -> f64 {
    (f.margin_12m - f.cost_to_serve_12m) * retention_factor(r, cfg)
        + f64::from(f.referrals_12m) * cfg.value.referral_value
}

/// What a won-back customer is expected to bring: the CLV of the margin of its last
/// active year (the year ending with its last order). Also the profit lost by a churn.
pub fn win_back_value(f: &CustomerFacts, r: f64, cfg: &Config) -> f64 {
    clv(f.margin_before_last_order, r, cfg)
}

/// Headroom: category spend × margin rate − current margin, at least 0 (0 when unknown).
pub fn potential(f: &CustomerFacts) -> f64 {
    f.category_spend
        .map_or(0.0, |spend| (spend * f.margin_rate - f.margin_12m).max(0.0))
}

/// Our trailing-12-month revenue ÷ category spend; unknown without a positive spend.
pub fn share_of_wallet(f: &CustomerFacts) -> Option<f64> {
    f.category_spend
        .filter(|&spend| spend > 0.0)
        .map(|spend| f.revenue_12m / spend)
}

/// Active customers are ranked in the pyramid: not prospects, not churned.
pub fn is_active(stage: Stage) -> bool {
    matches!(stage, Stage::Growth | Stage::Maturity | Stage::Decline)
}

/// The pyramid tier by the book's CRV cut-offs; a CRV tied with a cut-off takes the
/// higher tier. `None` for prospects and churned customers.
pub fn tier(stage: Stage, crv: f64, stats: &BookStats) -> Option<Tier> {
    if !is_active(stage) {
        return None;
    }
    let at_least = |cut: Option<f64>| cut.is_some_and(|c| crv >= c);
    Some(if crv <= 0.0 {
        Tier::Lead
    } else if at_least(stats.platinum_min_crv) {
        Tier::Platinum
    } else if at_least(stats.gold_min_crv) {
        Tier::Gold
    } else {
        Tier::Iron
    })
}

/// Current against potential value, each "high" when strictly above the book's median.
pub fn quadrant(current: f64, potential: f64, stats: &BookStats) -> Quadrant {
    match (
        current > stats.median_margin_12m,
        potential > stats.median_potential,
    ) {
        (true, true) => Quadrant::I,
        (false, true) => Quadrant::II,
        (true, false) => Quadrant::III,
        (false, false) => Quadrant::IV,
    }
}

pub fn figures(f: &CustomerFacts, stats: &BookStats, cfg: &Config) -> ValueFigures {
    let r = stats.retention.rate;
    ValueFigures {
        margin_12m: f.margin_12m,
        revenue_12m: f.revenue_12m,
        cost_to_serve: f.cost_to_serve_12m,
        clv: clv(f.margin_12m, r, cfg),
        crv: crv(f, r, cfg),
        share_of_wallet: share_of_wallet(f),
        potential: potential(f),
        retention_rate: r,
    }
}

#[cfg(test)]
#[path = "value_tests.rs"]
mod tests;
