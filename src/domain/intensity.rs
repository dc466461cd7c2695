//! Kotler's five relationship types (DOMAIN.md §3): how intensely a customer should be
//! handled given the owner's book size and the margin, and how intensely it actually is.

use super::card::RelationshipType;
use super::config::Config;

use RelationshipType::{Accountable, Basic, Partnership, Proactive, Reactive};

/// The type the portfolio calls for: rows by customers per owner, columns by margin rate.
pub fn recommended(owner_customers: usize, margin_rate: f64, cfg: &Config) -> RelationshipType {
    let i = &cfg.intensity;
    // Row 0 = many customers, 2 = few; column 0 = low margin, 2 = high.
    let row = owner_row(owner_customers, cfg);
    let column = if margin_rate < i.low_margin_rate {
        0
    } else if margin_rate >= i.high_margin_rate {
        2
    } else {
        1
    };
    // Each row or column step up moves one type up the ladder.
    RelationshipType::ALL[row + column]
}

/// The row of the portfolio an owner's book size puts its customers in: 0 = many
/// customers, 2 = few. The only way the customers per owner reach a card's type (and so
/// its actions): a count that stays in its row changes no list line.
pub fn owner_row(owner_customers: usize, cfg: &Config) -> usize {
    let i = &cfg.intensity;
    if owner_customers > i.many_customers {
        0
    } else if owner_customers <= i.few_customers {
        2
    } else {
        1
    }
}

/// The type the contacts of the intensity window show. `deep_tie` is a structural bond or
/// an open PDCA cycle scoped to the customer.
pub fn actual(inbound: u32, outbound: u32, deep_tie: bool, cfg: &Config) -> RelationshipType {
    if outbound as usize >= cfg.intensity.proactive_outbound {
        if deep_tie {
            Partnership
        } else {
            Proactive
        }
    } else if outbound > 0 {
        Accountable
    } else if inbound > 0 {
        Reactive
    } else {
        Basic
    }
}

/// Effort per month the recommended type needs (DOMAIN.md §8).
pub fn monthly_hours(kind: RelationshipType, cfg: &Config) -> f64 {
    let c = &cfg.capacity;
    match kind {
        Basic => c.basic_hours,
        Reactive => c.reactive_hours,
        Accountable => c.accountable_hours,
        Proactive => c.proactive_hours,
        Partnership => c.partnership_hours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recommended_follows_the_table() {
        let cfg = Config::default();
        // (customers of the owner, margin rate, expected): every cell and every band edge.
        let cases = [
            (201, 0.1499, Basic),
            (201, 0.15, Reactive),
            (201, 0.3999, Reactive),
            (201, 0.40, Accountable),
            (200, 0.10, Reactive),
            (21, 0.20, Accountable),
            (21, 0.45, Proactive),
            (20, 0.10, Accountable),
            (20, 0.15, Proactive),
            (1, 0.40, Partnership),
            (0, -0.5, Accountable),
        ];
        for (owner, rate, expected) in cases {
            assert_eq!(
                recommended(owner, rate, &cfg),
                expected,
                "{owner} customers, rate {rate}"
            );
        }
    }

    #[test]
    fn actual_reads_the_contacts() {
        let cfg = Config::default();
        let cases = [
            (0, 0, false, Basic),
            (0, 0, true, Basic),
            (3, 0, false, Reactive),
            (3, 1, false, Accountable),
            (0, 5, true, Accountable),
            (0, 6, false, Proactive),
            (0, 6, true, Partnership),
        ];
        for (inbound, outbound, tie, expected) in cases {
            assert_eq!(
                actual(inbound, outbound, tie, &cfg),
                expected,
                "{inbound}/{outbound}/{tie}"
            );
        }
    }

    #[test]
    fn hours_per_type() {
        let cfg = Config::default();
        let hours: Vec<f64> = RelationshipType::ALL
            .iter()
            .map(|&t| monthly_hours(t, &cfg))
            .collect();
        assert_eq!(hours, [0.25, 0.5, 1.0, 2.0, 4.0]);
    }
}
