//! Book-level figures computed once per as-of date from every customer's facts and reused
//! by every card: the book rhythm, customers per owner, retention rate, the medians of the
//! value quadrant and the CRV cut-offs of the pyramid. Linear in the book (selection, not
//! sorting).

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::card::Stage;
use super::config::Config;
use super::facts::{settle, CustomerFacts};
use super::rhythm::{book_rhythm, BookRhythm};
use super::value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    /// The rate the engine uses: measured when `measured`, else the configured default.
    pub rate: f64,
    pub measured: bool,
    /// Customers with an order in the year before last ...
    pub base: usize,
    /// ... of which also ordered in the last year.
    pub retained: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookStats {
    pub as_of: Date,
    /// The expected gap between orders of a customer without its own (DOMAIN.md §4).
    pub rhythm: BookRhythm,
    pub customers: usize,
    pub prospects: usize,
    /// Growth, maturity or decline: the customers ranked in the pyramid.
    pub active: usize,
    pub churned: usize,
    /// Customers each owner serves: everyone not churned (prospects included).
    pub owner_customers: BTreeMap<String, usize>,
    pub retention: Retention,
    /// Medians over active customers, for the value quadrant.
    pub median_margin_12m: f64,
    pub median_potential: f64,
    /// Smallest CRV in the platinum / gold tier (`None` when the tier is empty).
    pub platinum_min_crv: Option<f64>,
    pub gold_min_crv: Option<f64>,
}

impl BookStats {
    pub fn owner_customers(&self, owner: &str) -> usize {
        self.owner_customers.get(owner).copied().unwrap_or(0)
    }
}

/// ceil(n × share), robust to the share's binary rounding (20 × 0.05 is one customer).
pub fn share_count(n: usize, share: f64) -> usize {
    let exact = n as f64 * share;
    ((exact - 1e-9).ceil().max(0.0) as usize).min(n)
}

/// The median of `values` (reordered in place); 0 when empty.
pub fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    let (_, &mut upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return upper;
    }
    // The lower middle is the largest value left of the upper one.
    let lower = values[..n / 2]
        .iter()
        .copied()
        .max_by(f64::total_cmp)
        .unwrap_or(upper);
    (lower + upper) / 2.0
}

/// The k-th largest value (k counted from 1), reordering in place.
fn kth_largest(values: &mut [f64], k: usize) -> Option<f64> {
    if k == 0 || k > values.len() {
        return None;
    }
    let (_, &mut value, _) = values.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
    Some(value)
}

/// The book rhythm of `facts` (each customer's own gap is one of its facts).
pub fn rhythm_of(facts: &[CustomerFacts], cfg: &Config) -> BookRhythm {
    book_rhythm(facts.iter().map(|f| f.own_gap_days), cfg)
}

/// The book pass after every customer's facts are in: the book rhythm first, then every
/// customer settled with it (only those computed under another rhythm change), then the
/// figures, which count stages. Returns whether any customer was re-settled.
pub fn settle_book(facts: &mut [CustomerFacts], as_of: Date, cfg: &Config) -> (BookStats, bool) {
    let rhythm = rhythm_of(facts, cfg);
    let mut moved = false;
    for f in facts.iter_mut() {
        if f.book_rhythm.days == rhythm.days && f.book_rhythm.measured == rhythm.measured {
            // Only the count of customers behind it moved: no rule reads that.
            f.book_rhythm = rhythm;
        } else {
            settle(f, rhythm, cfg);
            moved = true;
        }
    }
    (figures(facts, as_of, cfg, rhythm), moved)
}

/// The figures of facts already settled with the book rhythm (see `settle_book`).
pub fn book_stats(facts: &[CustomerFacts], as_of: Date, cfg: &Config) -> BookStats {
    figures(facts, as_of, cfg, rhythm_of(facts, cfg))
}

fn figures(facts: &[CustomerFacts], as_of: Date, cfg: &Config, rhythm: BookRhythm) -> BookStats {
    let mut owner_customers = BTreeMap::new();
    let (mut prospects, mut churned, mut base, mut retained) = (0, 0, 0, 0);
    let mut margins = Vec::new();
    let mut potentials = Vec::new();
    for f in facts {
        match f.stage {
            Stage::Acquisition => prospects += 1,
            Stage::Churned => churned += 1,
            _ => {
                margins.push(f.margin_12m);
                potentials.push(value::potential(f));
            }
        }
        if f.stage != Stage::Churned {
            *owner_customers.entry(f.owner.clone()).or_insert(0) += 1;
        }
        if f.ordered_year_before_last {
            base += 1;
            retained += usize::from(f.ordered_last_year);
        }
    }
    let measured = base >= cfg.value.retention_min_customers && base > 0;
    let rate = if measured {
        retained as f64 / base as f64
    } else {
        cfg.value.default_retention_rate
    };
    let mut crvs: Vec<f64> = facts
        .iter()
        .filter(|f| value::is_active(f.stage))
        .map(|f| value::crv(f, rate, cfg))
        .collect();
    let n = crvs.len();
    let platinum = share_count(n, cfg.tiers.platinum_share);
    let gold = share_count(n, cfg.tiers.platinum_share + cfg.tiers.gold_share);
    BookStats {
        as_of,
        rhythm,
        customers: facts.len(),
        prospects,
        active: n,
        churned,
        owner_customers,
        retention: Retention {
            rate,
            measured,
            base,
            retained,
        },
        median_margin_12m: median(&mut margins),
        median_potential: median(&mut potentials),
        platinum_min_crv: kth_largest(&mut crvs, platinum),
        gold_min_crv: kth_largest(&mut crvs, gold).filter(|_| gold > platinum),
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
