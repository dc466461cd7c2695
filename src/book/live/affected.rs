//! Which customers' cards a change of the book's figures reaches.
//!
//! A card reads the book's figures in a few places only (`engine::card`): the retention
//! rate (every CRV), the book rhythm (every stage), the customers of its owner (the
//! recommended relationship type), the two CRV cut-offs (the tier) and the two medians (the
//! quadrant). When a write moves one of the latter, only the customers whose own value lies
//! between the old and the new figure can change: their cards are made again, the others
//! are kept, and the lines stay exactly what a fresh pass makes.

use std::collections::BTreeSet;

use crate::domain::config::Config;
use crate::domain::facts::CustomerFacts;
use crate::domain::stats::BookStats;
use crate::domain::value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affected {
    /// Every card may differ.
    All,
    /// The positions (in the facts' id order) of the cards that may differ.
    Some(BTreeSet<usize>),
}

/// Whether `x` lies between `a` and `b` (inclusive), `None` standing for "above all".
fn between(x: f64, a: Option<f64>, b: Option<f64>) -> bool {
    let (lo, hi) = match (a, b) {
        (Some(a), Some(b)) => (a.min(b), a.max(b)),
        (Some(c), None) | (None, Some(c)) => (c, f64::INFINITY),
        (None, None) => return false,
    };
    x >= lo && x <= hi
}

/// The cards that `old` → `new` can change, given every customer's facts (settled under
/// `new`'s rhythm).
pub fn affected(
    old: &BookStats,
    new: &BookStats,
    facts: &[CustomerFacts],
    cfg: &Config,
) -> Affected {
    let rhythm_moved =
        old.rhythm.days != new.rhythm.days || old.rhythm.measured != new.rhythm.measured;
    if rhythm_moved || old.retention.rate.to_bits() != new.retention.rate.to_bits() {
        return Affected::All;
    }
    let owners: BTreeSet<&String> = old
        .owner_customers
        .keys()
        .chain(new.owner_customers.keys())
        .filter(|owner| old.owner_customers(owner) != new.owner_customers(owner))
        .collect();
    let cuts_moved =
        old.platinum_min_crv != new.platinum_min_crv || old.gold_min_crv != new.gold_min_crv;
    let margin_moved = old.median_margin_12m != new.median_margin_12m;
    let potential_moved = old.median_potential != new.median_potential;
    let rate = new.retention.rate;
    let mut changed = BTreeSet::new();
    for (i, f) in facts.iter().enumerate() {
        let reached = owners.contains(&f.owner)
            || (margin_moved
                && between(
                    f.margin_12m,
                    Some(old.median_margin_12m),
                    Some(new.median_margin_12m),
                ))
            || (potential_moved
                && between(
                    value::potential(f),
                    Some(old.median_potential),
                    Some(new.median_potential),
                ))
            || (cuts_moved && value::is_active(f.stage) && {
                let crv = value::crv(f, rate, cfg);
                between(crv, old.platinum_min_crv, new.platinum_min_crv)
                    || between(crv, old.gold_min_crv, new.gold_min_crv)
            });
        if reached {
            changed.insert(i);
        }
    }
    Affected::Some(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_takes_none_for_above_all_and_is_inclusive() {
        assert!(between(2.0, Some(1.0), Some(2.0)));
        assert!(between(1.0, Some(2.0), Some(1.0)));
        assert!(!between(2.5, Some(1.0), Some(2.0)));
        assert!(between(9e9, None, Some(1.0)));
        assert!(!between(0.5, Some(1.0), None));
        assert!(!between(0.5, None, None));
    }
}
