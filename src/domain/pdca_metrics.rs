//! The goal metrics of PDCA cycles (DOMAIN.md §7), each a fold over the facts of the
//! customers in a cycle's scope as of one date. Definitions: docs/pdca.md.

use jiff::civil::Date;

use super::card::Stage;
use super::config::Config;
use super::facts::CustomerFacts;
use super::format::money;
use super::model::{Metric, Scope};
use super::stats::BookStats;
use super::text::{Text, Worded};

/// Whether a customer belongs to a scope. Segments compare without case or surrounding
/// space, as people type them; ids and logins are exact.
pub fn in_scope(facts: &CustomerFacts, scope: &Scope) -> bool {
    match scope {
        Scope::Book => true,
        Scope::Customer(id) => facts.id == *id,
        Scope::Owner(login) => facts.owner == *login,
        Scope::Segment(name) => facts.segment.trim().to_lowercase() == name.trim().to_lowercase(),
    }
}

/// Sums over the customers in scope; every metric is one ratio or one total of these.
#[derive(Default)]
struct Tally {
    customers: u32,
    served: u32,
    retention_base: u32,
    retained: u32,
    decline: u32,
    churned: u32,
    satisfaction_sum: f64,
    satisfaction_count: u32,
    revenue_with_spend: f64,
    spend: f64,
    margin_12m: f64,
    contacts_served: u32,
    structural_bonds: u32,
    overdue_followups: u32,
}

impl Tally {
    fn add(&mut self, f: &CustomerFacts) {
        self.customers += 1;
        if f.ordered_year_before_last {
            self.retention_base += 1;
            self.retained += u32::from(f.ordered_last_year);
        }
        match f.stage {
            Stage::Decline => self.decline += 1,
            Stage::Churned => self.churned += 1,
            _ => {}
        }
        if f.stage != Stage::Churned {
            self.served += 1;
            self.contacts_served += f.interactions_12m;
        }
        self.satisfaction_sum += f.satisfaction_sum_last;
        self.satisfaction_count += f.satisfaction_count_last;
        if let Some(spend) = f.category_spend.filter(|&s| s > 0.0) {
            self.spend += spend;
            self.revenue_with_spend += f.revenue_12m;
        }
        self.margin_12m += f.margin_12m;
        self.structural_bonds += f.rungs.structural_count;
        self.overdue_followups += f.overdue_follow_ups;
    }
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

/// The value of `metric` for the customers in `scope` as of `as_of`. `None` when there is
/// nothing to measure: no customer in scope, a ratio without a base (see docs/pdca.md),
/// or facts and figures of another date than `as_of` (a caller's stale pass must not
/// pass for a measurement). `cfg` is where the facts' windows came from; the folds need
/// nothing more from it.
pub fn measure(
    metric: Metric,
    scope: &Scope,
    facts: &[CustomerFacts],
    stats: &BookStats,
    as_of: Date,
    _cfg: &Config,
) -> Option<f64> {
    if stats.as_of != as_of {
        return None;
    }
    let mut tally = Tally::default();
    for f in facts.iter().filter(|f| in_scope(f, scope)) {
        if f.as_of != as_of {
            return None;
        }
        tally.add(f);
    }
    if tally.customers == 0 {
        return None;
    }
    let t = &tally;
    match metric {
        Metric::RetentionRate => ratio(f64::from(t.retained), f64::from(t.retention_base)),
        Metric::DeclineCount => Some(f64::from(t.decline)),
        Metric::ChurnedCount => Some(f64::from(t.churned)),
        Metric::AvgSatisfaction => ratio(t.satisfaction_sum, f64::from(t.satisfaction_count)),
        Metric::ShareOfWallet => ratio(t.revenue_with_spend, t.spend),
        Metric::Margin12m => Some(t.margin_12m),
        Metric::ContactsPerCustomer => ratio(f64::from(t.contacts_served), f64::from(t.served)),
        Metric::StructuralBonds => Some(f64::from(t.structural_bonds)),
        Metric::OverdueFollowups => Some(f64::from(t.overdue_followups)),
    }
}

/// A target the metric can take: shares are 0..1, satisfaction 1..5, the rest 0 or more.
pub fn check_target(metric: Metric, target: f64) -> Result<(), Worded> {
    let (ok, expected, expected_key) = match metric {
        Metric::RetentionRate => (
            (0.0..=1.0).contains(&target),
            "a share from 0 to 1 (0.85 is 85 %)",
            "pdca-target-share",
        ),
        Metric::AvgSatisfaction => (
            (1.0..=5.0).contains(&target),
            "from 1 to 5",
            "pdca-target-one-to-five",
        ),
        _ => (target >= 0.0, "0 or more", "pdca-target-zero-or-more"),
    };
    if ok && target.is_finite() {
        Ok(())
    } else {
        Err(Worded::new(
            format!("target {target} for {}: must be {expected}", metric.code()),
            Text::new("pdca-invalid-target")
                .arg("target", target)
                .part("metric", Text::code("metric", metric.code()))
                .part("expected", Text::new(expected_key)),
        ))
    }
}

/// A value as a person reads it: shares as percentages, counts whole, money as money.
pub fn format_value(metric: Metric, value: f64) -> String {
    match metric {
        Metric::RetentionRate | Metric::ShareOfWallet => format!("{:.1} %", value * 100.0),
        Metric::AvgSatisfaction | Metric::ContactsPerCustomer => format!("{value:.2}"),
        Metric::Margin12m => money(value),
        Metric::DeclineCount
        | Metric::ChurnedCount
        | Metric::StructuralBonds
        | Metric::OverdueFollowups => format!("{value:.0}"),
    }
}

#[cfg(test)]
#[path = "pdca_metrics_tests.rs"]
mod tests;
