//! Which customers' list lines a change of the book's figures reaches.
//!
//! A list line (`Summary`) and its agenda keys read the book's figures in a few places only
//! (`engine::card`): the retention rate (every CRV), the book rhythm (every stage), the
//! customers of its owner (through the row of the recommended relationship type, which
//! decides the "raise intensity" action) and the two CRV cut-offs (the tier, which decides
//! actions). The two medians reach only the card's quadrant, which no line carries. When a
//! write moves a cut-off, only the active customers whose CRV lies between the old and the
//! new one can change: the running figures name them (`RunningStats::crvs_between`), so
//! finding them costs what they are, not the book.

use std::collections::BTreeSet;

use crate::domain::config::Config;
use crate::domain::facts::CustomerFacts;
use crate::domain::intensity::owner_row;
use crate::domain::running_stats::RunningStats;
use crate::domain::stats::BookStats;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affected {
    /// Every line may differ.
    All,
    /// The positions (in the facts' id order) of the lines that may differ.
    Some(BTreeSet<usize>),
}

/// The lines that `old` → `new` can change, given every customer's facts (settled under
/// `new`'s rhythm) and the running figures `new` was read from.
pub fn affected(
    old: &BookStats,
    new: &BookStats,
    running: &RunningStats,
    facts: &[CustomerFacts],
    cfg: &Config,
) -> Affected {
    let rhythm_moved =
        old.rhythm.days != new.rhythm.days || old.rhythm.measured != new.rhythm.measured;
    if rhythm_moved || old.retention.rate.to_bits() != new.retention.rate.to_bits() {
        return Affected::All;
    }
    let row = |stats: &BookStats, owner: &str| owner_row(stats.owner_customers(owner), cfg);
    let owners: BTreeSet<&String> = old
        .owner_customers
        .keys()
        .chain(new.owner_customers.keys())
        .filter(|owner| row(old, owner) != row(new, owner))
        .collect();
    let mut changed = BTreeSet::new();
    if !owners.is_empty() {
        // An owner's book crossed a row of the portfolio: each of its customers may.
        changed.extend(
            facts
                .iter()
                .enumerate()
                .filter(|(_, f)| owners.contains(&f.owner))
                .map(|(i, _)| i),
        );
    }
    if old.platinum_min_crv != new.platinum_min_crv {
        changed.extend(running.crvs_between(old.platinum_min_crv, new.platinum_min_crv));
    }
    if old.gold_min_crv != new.gold_min_crv {
        changed.extend(running.crvs_between(old.gold_min_crv, new.gold_min_crv));
    }
    Affected::Some(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stats::book_stats;
    use crate::domain::testkit::{account, AccountExt};

    /// An owner whose book crosses a row of the portfolio (20 customers is "few", 21 is
    /// not) reaches every one of its customers; a count that stays in its row reaches none.
    #[test]
    fn an_owner_reaches_its_customers_only_when_its_row_moves() {
        let cfg = Config::default();
        let facts: Vec<CustomerFacts> = [("a", "ann"), ("b", "bo"), ("c", "ann")]
            .iter()
            .map(|(id, owner)| {
                let mut f = account(id)
                    .order("2026-06-01", 1000.0, Some(100.0))
                    .facts("2026-06-30");
                f.owner = (*owner).into();
                f
            })
            .collect();
        let mut old = book_stats(&facts, jiff::civil::date(2026, 6, 30), &cfg);
        let mut new = old.clone();
        let running = RunningStats::of(&facts, &cfg);
        old.owner_customers = [("ann".to_string(), 20), ("bo".to_string(), 5)].into();
        new.owner_customers = [("ann".to_string(), 21), ("bo".to_string(), 6)].into();
        assert_eq!(
            affected(&old, &new, &running, &facts, &cfg),
            Affected::Some([0, 2].into())
        );
        new.owner_customers = [("ann".to_string(), 19), ("bo".to_string(), 6)].into();
        assert_eq!(
            affected(&old, &new, &running, &facts, &cfg),
            Affected::Some([].into())
        );
        new.retention.rate += 0.01;
        assert_eq!(affected(&old, &new, &running, &facts, &cfg), Affected::All);
    }
}
