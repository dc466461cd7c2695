//! The book's figures kept current one customer at a time (issue 12): each figure
//! `stats::book_stats` settles by a selection over every customer is held here in an
//! order-statistic structure (`ranked::Ranked`), so a changed customer moves one value of
//! each instead of the whole book being selected again. The figures read from it are bit
//! for bit those of `stats::book_stats` over the same facts (property test below).
//!
//! What still costs the whole book, because the whole book changes: a moved retention rate
//! (every CRV is a function of it: the CRVs are ranked again) and a moved book rhythm (every
//! customer is settled again: the caller rebuilds from the settled facts).

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::card::Stage;
use super::config::Config;
use super::facts::CustomerFacts;
use super::ranked::{from_order_key, median_of, order_key, Ranked};
use super::rhythm::BookRhythm;
use super::stats::{settle_book, share_count, BookStats, Retention};
use super::value;

#[derive(Debug, Clone)]
pub struct RunningStats {
    customers: usize,
    prospects: usize,
    churned: usize,
    /// Not churned, per owner (owners with none are absent, as in `book_stats`).
    owner_customers: BTreeMap<String, usize>,
    base: usize,
    retained: usize,
    /// Own gaps of the customers that have one.
    gaps: Ranked<u64>,
    /// Margins and potentials of the customers neither prospects nor churned.
    margins: Ranked<u64>,
    potentials: Ranked<u64>,
    /// CRVs of the active customers under `rate`, with each customer's position in the
    /// facts (so the customers between two cut-offs can be named).
    crvs: Ranked<(u64, u32)>,
    /// The retention rate the CRVs were computed with.
    rate: f64,
}

/// The retention figures of `base` customers of which `retained` ordered again.
fn retention(base: usize, retained: usize, cfg: &Config) -> Retention {
    let measured = base >= cfg.value.retention_min_customers && base > 0;
    let rate = if measured {
        retained as f64 / base as f64
    } else {
        cfg.value.default_retention_rate
    };
    Retention {
        rate,
        measured,
        base,
        retained,
    }
}

fn position(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl RunningStats {
    /// The figures of `facts` (settled with the book rhythm), one per customer in order.
    pub fn of(facts: &[CustomerFacts], cfg: &Config) -> RunningStats {
        let mut stats = RunningStats {
            customers: 0,
            prospects: 0,
            churned: 0,
            owner_customers: BTreeMap::new(),
            base: 0,
            retained: 0,
            gaps: Ranked::default(),
            margins: Ranked::default(),
            potentials: Ranked::default(),
            crvs: Ranked::default(),
            rate: 0.0,
        };
        let (mut gaps, mut margins, mut potentials) = (Vec::new(), Vec::new(), Vec::new());
        for f in facts {
            stats.count(f, 1);
            gaps.extend(f.own_gap_days.map(order_key));
            if !matches!(f.stage, Stage::Acquisition | Stage::Churned) {
                margins.push(order_key(f.margin_12m));
                potentials.push(order_key(value::potential(f)));
            }
        }
        stats.gaps = Ranked::of(gaps);
        stats.margins = Ranked::of(margins);
        stats.potentials = Ranked::of(potentials);
        stats.rank_crvs(facts, cfg);
        stats
    }

    /// Every active customer's CRV at the current retention rate, ranked again.
    fn rank_crvs(&mut self, facts: &[CustomerFacts], cfg: &Config) {
        self.rate = retention(self.base, self.retained, cfg).rate;
        let crvs = facts
            .iter()
            .enumerate()
            .filter(|(_, f)| value::is_active(f.stage))
            .map(|(at, f)| (order_key(value::crv(f, self.rate, cfg)), position(at)))
            .collect();
        self.crvs = Ranked::of(crvs);
    }

    /// The counts of one customer, added (`by` = 1) or taken away (`by` = -1).
    fn count(&mut self, f: &CustomerFacts, by: isize) {
        let step = |n: &mut usize| *n = n.saturating_add_signed(by);
        step(&mut self.customers);
        match f.stage {
            Stage::Acquisition => step(&mut self.prospects),
            Stage::Churned => step(&mut self.churned),
            _ => {}
        }
        if f.stage != Stage::Churned {
            let n = self.owner_customers.entry(f.owner.clone()).or_insert(0);
            step(n);
            if *n == 0 {
                self.owner_customers.remove(&f.owner);
            }
        }
        if f.ordered_year_before_last {
            step(&mut self.base);
            if f.ordered_last_year {
                step(&mut self.retained);
            }
        }
    }

    /// A customer's values in the ranked figures, added or taken away.
    fn rank(&mut self, at: usize, f: &CustomerFacts, add: bool, cfg: &Config) {
        let mut keys: Vec<(&mut Ranked<u64>, u64)> = Vec::with_capacity(3);
        if let Some(gap) = f.own_gap_days {
            keys.push((&mut self.gaps, order_key(gap)));
        }
        if !matches!(f.stage, Stage::Acquisition | Stage::Churned) {
            keys.push((&mut self.margins, order_key(f.margin_12m)));
            keys.push((&mut self.potentials, order_key(value::potential(f))));
        }
        for (ranked, key) in keys {
            if add {
                ranked.insert(key);
            } else {
                ranked.remove(&key);
            }
        }
        if value::is_active(f.stage) {
            let entry = (order_key(value::crv(f, self.rate, cfg)), position(at));
            if add {
                self.crvs.insert(entry);
            } else {
                self.crvs.remove(&entry);
            }
        }
    }

    /// The customer at position `at` leaves the figures (before its facts change).
    pub fn remove(&mut self, at: usize, f: &CustomerFacts, cfg: &Config) {
        self.rank(at, f, false, cfg);
        self.count(f, -1);
    }

    /// The customer at position `at` enters the figures (with its new facts).
    pub fn add(&mut self, at: usize, f: &CustomerFacts, cfg: &Config) {
        self.count(f, 1);
        self.rank(at, f, true, cfg);
    }

    /// A customer was inserted at position `at` of the facts: the positions from it on
    /// move up one (call before `add`ing the new customer).
    pub fn inserted_at(&mut self, at: usize) {
        let at = position(at);
        self.crvs
            .map_in_place(|(key, p)| (key, if p >= at { p + 1 } else { p }));
    }

    /// The customer at position `at` was removed from the facts (call after `remove`).
    pub fn removed_at(&mut self, at: usize) {
        let at = position(at);
        self.crvs
            .map_in_place(|(key, p)| (key, if p > at { p - 1 } else { p }));
    }

    /// The book rhythm of the customers as they stand (as `stats::rhythm_of` makes it).
    pub fn rhythm(&self, cfg: &Config) -> BookRhythm {
        let customers = self.gaps.len();
        if customers < cfg.lifecycle.book_rhythm_min_customers || customers == 0 {
            return BookRhythm {
                customers,
                ..BookRhythm::default_for(cfg)
            };
        }
        BookRhythm {
            days: median_of(&self.gaps),
            measured: true,
            customers,
        }
    }

    /// The book's figures, equal to `stats::book_stats(facts, ..)` when every customer of
    /// `facts` was added (and is settled with `rhythm`). A moved retention rate ranks the
    /// CRVs again from `facts`.
    pub fn stats(
        &mut self,
        facts: &[CustomerFacts],
        as_of: Date,
        rhythm: BookRhythm,
        cfg: &Config,
    ) -> BookStats {
        let retention = retention(self.base, self.retained, cfg);
        if retention.rate.to_bits() != self.rate.to_bits() {
            self.rank_crvs(facts, cfg);
        }
        let n = self.crvs.len();
        let platinum = share_count(n, cfg.tiers.platinum_share);
        let gold = share_count(n, cfg.tiers.platinum_share + cfg.tiers.gold_share);
        let cut = |k| self.crvs.kth_largest(k).map(|(key, _)| from_order_key(key));
        BookStats {
            as_of,
            rhythm,
            customers: self.customers,
            prospects: self.prospects,
            active: n,
            churned: self.churned,
            owner_customers: self.owner_customers.clone(),
            retention,
            median_margin_12m: median_of(&self.margins),
            median_potential: median_of(&self.potentials),
            platinum_min_crv: cut(platinum),
            gold_min_crv: cut(gold).filter(|_| gold > platinum),
        }
    }

    /// The book's figures after some customers' facts changed (each taken out with
    /// `remove` before and put back with `add` after, computed under `settled_with`, the
    /// rhythm every other customer is settled with). When the book rhythm moved, every
    /// customer is settled again and the figures are made again from them (what
    /// `stats::settle_book` does); else only the rhythm's count of customers is written
    /// into the facts, when it moved.
    pub fn settle(
        &mut self,
        facts: &mut [CustomerFacts],
        settled_with: BookRhythm,
        as_of: Date,
        cfg: &Config,
    ) -> BookStats {
        let rhythm = self.rhythm(cfg);
        if rhythm.days != settled_with.days || rhythm.measured != settled_with.measured {
            let (stats, _) = settle_book(facts, as_of, cfg);
            *self = RunningStats::of(facts, cfg);
            return stats;
        }
        if rhythm != settled_with {
            for f in facts.iter_mut() {
                f.book_rhythm = rhythm;
            }
        }
        self.stats(facts, as_of, rhythm, cfg)
    }

    /// Positions (in the facts) of the active customers whose CRV lies between `a` and `b`,
    /// both included, `None` standing for "above all"; nothing when both are `None`.
    pub fn crvs_between(&self, a: Option<f64>, b: Option<f64>) -> Vec<usize> {
        let (lo, hi) = match (a, b) {
            (Some(a), Some(b)) => (a.min(b), a.max(b)),
            (Some(c), None) | (None, Some(c)) => (c, f64::INFINITY),
            (None, None) => return Vec::new(),
        };
        // `between` is inclusive in the float sense: -0.0 and 0.0 are both "equal to 0".
        let lo = order_key(if lo == 0.0 { -0.0 } else { lo });
        let hi = order_key(if hi == 0.0 { 0.0 } else { hi });
        self.crvs
            .between((lo, 0), (hi, u32::MAX))
            .map(|&(_, at)| at as usize)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stats::book_stats;
    use crate::domain::testkit::{account, AccountExt};
    use proptest::prelude::*;

    /// Facts of a made-up customer: its stage, margin, costs, own gap, retention flags and
    /// owner drawn from `seed` (values repeat, so ties and zero CRVs occur).
    fn facts_of(seed: u32) -> CustomerFacts {
        let mut f = account(&format!("c{seed}"))
            .order("2026-06-01", 1000.0, Some(100.0))
            .facts("2026-06-30");
        f.stage = [
            Stage::Acquisition,
            Stage::Growth,
            Stage::Maturity,
            Stage::Decline,
            Stage::Churned,
        ][(seed % 5) as usize];
        f.margin_12m = f64::from(seed % 13) * 100.0 - 300.0;
        f.cost_to_serve_12m = f64::from(seed % 3) * 50.0;
        f.referrals_12m = seed % 2;
        f.category_spend = (seed % 4 != 0).then(|| f64::from(seed % 7) * 1000.0);
        f.own_gap_days = (seed % 3 == 0).then(|| f64::from(seed % 11) * 5.0 + 0.5);
        f.ordered_year_before_last = seed % 4 < 3;
        f.ordered_last_year = seed % 3 > 0;
        f.owner = ["ann", "bo", ""][(seed % 3) as usize].into();
        f
    }

    proptest! {
        /// After any replacements, insertions and removals, the running figures equal
        /// `book_stats` over the facts as they then are; so do the named CRVs between two
        /// cut-offs.
        #[test]
        fn running_figures_equal_a_selection_over_every_customer(
            start in proptest::collection::vec(0u32..5000, 0..300),
            changes in proptest::collection::vec((0u8..3, 0usize..400, 0u32..5000), 0..60),
        ) {
            let cfg = Config::default();
            let as_of = jiff::civil::date(2026, 6, 30);
            let mut facts: Vec<CustomerFacts> = start.into_iter().map(facts_of).collect();
            let mut running = RunningStats::of(&facts, &cfg);
            for (kind, at, seed) in changes {
                let new = facts_of(seed);
                match kind {
                    0 if !facts.is_empty() => {
                        let at = at % facts.len();
                        running.remove(at, &facts[at], &cfg);
                        running.add(at, &new, &cfg);
                        facts[at] = new;
                    }
                    1 => {
                        let at = at % (facts.len() + 1);
                        running.inserted_at(at);
                        running.add(at, &new, &cfg);
                        facts.insert(at, new);
                    }
                    _ if !facts.is_empty() => {
                        let at = at % facts.len();
                        running.remove(at, &facts[at], &cfg);
                        running.removed_at(at);
                        facts.remove(at);
                    }
                    _ => {}
                }
                let want = book_stats(&facts, as_of, &cfg);
                let got = running.stats(&facts, as_of, want.rhythm, &cfg);
                prop_assert_eq!(running.rhythm(&cfg), want.rhythm);
                prop_assert_eq!(&got, &want);
                let rate = want.retention.rate;
                let (a, b) = (want.platinum_min_crv, Some(0.0));
                let mut named = running.crvs_between(a, b);
                named.sort_unstable();
                let lo = a.map_or(0.0, |a| a.min(0.0));
                let hi = a.map_or(f64::INFINITY, |a| a.max(0.0));
                let expected: Vec<usize> = facts
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| value::is_active(f.stage))
                    .filter(|(_, f)| (lo..=hi).contains(&value::crv(f, rate, &cfg)))
                    .map(|(i, _)| i)
                    .collect();
                prop_assert_eq!(named, expected);
            }
        }
    }

    /// The rhythm read from the running figures is the one `settle_book` settles with.
    #[test]
    fn the_running_rhythm_is_the_book_rhythm() {
        let cfg = Config::default();
        let mut facts: Vec<CustomerFacts> = (0..90).map(facts_of).collect();
        let (stats, _) = settle_book(&mut facts, jiff::civil::date(2026, 6, 30), &cfg);
        assert!(stats.rhythm.measured);
        assert_eq!(RunningStats::of(&facts, &cfg).rhythm(&cfg), stats.rhythm);
    }
}
