//! Book figures for `crm portfolio` (DOMAIN.md §5, §6 retention decision, §8): the three
//! CRM queues, the pyramid, the stage distribution, the real 80/20/30 split, margin rate by
//! size band, retention and churn by reason with the profit lost, and the capacity plan.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::capacity::{self, OwnerPlan, PlanEntry};
use super::card::{Stage, Tier};
use super::config::Config;
use super::facts::CustomerFacts;
use super::intensity;
use super::model::{CustomerId, LostReason};
use super::stats::{share_count, BookStats, Retention};
use super::value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub id: CustomerId,
    pub owner: String,
    pub value: f64,
}

/// One of the three CRM tasks: who is in it and what working it is expected to bring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub customers: usize,
    pub expected_value: f64,
    /// The most valuable entries, highest first (at most `portfolio.queue_list`).
    pub top: Vec<QueueEntry>,
}

/// Which of the three CRM queues (DOMAIN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueKind {
    Acquire,
    Retain,
    WinBack,
}

impl QueueKind {
    pub const ALL: [QueueKind; 3] = [QueueKind::Acquire, QueueKind::Retain, QueueKind::WinBack];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queues {
    /// Prospects; value = CLV of their potential margin.
    pub acquire: Queue,
    /// Platinum and gold customers not in decline; value = CRV.
    pub retain: Queue,
    /// Customers in decline (value = CRV, at least 0) and churned customers worth winning
    /// back (value = second-lifecycle value − win-back cost).
    pub win_back: Queue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierRow {
    pub tier: Tier,
    pub customers: usize,
    pub crv: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub stage: Stage,
    pub customers: usize,
    /// Of which in a second lifecycle (won back).
    pub second_lifecycle: usize,
}

/// The real split behind the 80/20/30 rule, profit = margin − cost to serve (12 months),
/// over active customers ranked by profit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pareto {
    pub customers: usize,
    pub total_profit: f64,
    pub top_customers: usize,
    pub top_profit: f64,
    /// `None` when the total profit is not positive.
    pub top_profit_share: Option<f64>,
    pub bottom_customers: usize,
    pub bottom_profit: f64,
    pub bottom_profit_share: Option<f64>,
}

/// Customers with revenue, split by 12-month revenue into equal-count bands (1 = smallest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeBand {
    pub band: usize,
    pub customers: usize,
    pub revenue_min: f64,
    pub revenue_max: f64,
    pub revenue: f64,
    pub margin: f64,
    pub margin_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChurnRow {
    /// A lost reason code, or "unrecorded" for customers who simply stopped ordering.
    pub reason: String,
    pub customers: usize,
    pub share: f64,
    /// CLV of the churned customers' last active year.
    pub profit_lost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    pub as_of: Date,
    pub customers: usize,
    pub queues: Queues,
    /// Platinum, gold, iron, lead (active customers only).
    pub tiers: Vec<TierRow>,
    pub prospects: usize,
    pub churned: usize,
    pub stages: Vec<StageRow>,
    pub pareto: Pareto,
    pub size_bands: Vec<SizeBand>,
    pub retention: Retention,
    pub churn: Vec<ChurnRow>,
    /// Spending on retention pays while it costs less than this (Kotler's fourth step).
    pub profit_lost: f64,
    pub capacity: Vec<OwnerPlan>,
}

/// Collects a queue's entries; keeps the count and total of all, lists the best few.
struct QueueBuilder {
    entries: Vec<QueueEntry>,
}

impl QueueBuilder {
    fn new() -> Self {
        QueueBuilder {
            entries: Vec::new(),
        }
    }

    fn push(&mut self, f: &CustomerFacts, value: f64) {
        self.entries.push(QueueEntry {
            id: f.id.clone(),
            owner: f.owner.clone(),
            value,
        });
    }

    fn finish(mut self, list: usize) -> Queue {
        let expected_value = self.entries.iter().map(|e| e.value).sum();
        let customers = self.entries.len();
        let by_value = |a: &QueueEntry, b: &QueueEntry| {
            b.value.total_cmp(&a.value).then_with(|| a.id.cmp(&b.id))
        };
        if list < customers && list > 0 {
            self.entries.select_nth_unstable_by(list - 1, by_value);
        }
        self.entries.truncate(list);
        self.entries.sort_by(by_value);
        Queue {
            customers,
            expected_value,
            top: self.entries,
        }
    }
}

pub fn portfolio(
    facts: &[CustomerFacts],
    stats: &BookStats,
    as_of: Date,
    cfg: &Config,
    capacity_hours: f64,
) -> Portfolio {
    let r = stats.retention.rate;
    let (mut acquire, mut retain, mut win_back) = (
        QueueBuilder::new(),
        QueueBuilder::new(),
        QueueBuilder::new(),
    );
    let mut tiers: Vec<TierRow> = Tier::ALL
        .iter()
        .map(|&tier| TierRow {
            tier,
            customers: 0,
            crv: 0.0,
        })
        .collect();
    let mut stages: Vec<StageRow> = Stage::ALL
        .iter()
        .map(|&stage| StageRow {
            stage,
            customers: 0,
            second_lifecycle: 0,
        })
        .collect();
    let mut profits = Vec::new();
    let mut sized = Vec::new();
    let mut churn: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    let mut candidates: BTreeMap<&str, Vec<PlanEntry>> = BTreeMap::new();
    for f in facts {
        let crv = value::crv(f, r, cfg);
        let stage_row = &mut stages[Stage::ALL.iter().position(|&s| s == f.stage).unwrap_or(0)];
        stage_row.customers += 1;
        stage_row.second_lifecycle += usize::from(f.second_lifecycle);
        match queue_of(f, crv, stats, cfg) {
            Some((QueueKind::Acquire, value)) => acquire.push(f, value),
            Some((QueueKind::Retain, value)) => retain.push(f, value),
            Some((QueueKind::WinBack, value)) => win_back.push(f, value),
            None => {}
        }
        match f.stage {
            Stage::Acquisition => {}
            Stage::Churned => {
                let lost = value::win_back_value(f, r, cfg);
                let reason = f.lost.as_ref().map(|l| l.reason);
                let slot = reason.map_or(LostReason::ALL.len(), |reason| {
                    LostReason::ALL
                        .iter()
                        .position(|&x| x == reason)
                        .unwrap_or(0)
                });
                let row = churn.entry(slot).or_insert((0, 0.0));
                row.0 += 1;
                row.1 += lost;
            }
            Stage::Growth | Stage::Maturity | Stage::Decline => {
                let tier = value::tier(f.stage, crv, stats).unwrap_or(Tier::Lead);
                let row = &mut tiers[Tier::ALL.iter().position(|&t| t == tier).unwrap_or(0)];
                row.customers += 1;
                row.crv += crv;
                profits.push(f.margin_12m - f.cost_to_serve_12m);
                if f.revenue_12m > 0.0 {
                    sized.push((f.revenue_12m, f.margin_12m));
                }
                if crv > 0.0 {
                    let kind =
                        intensity::recommended(stats.owner_customers(&f.owner), f.margin_rate, cfg);
                    candidates
                        .entry(f.owner.as_str())
                        .or_default()
                        .push(PlanEntry {
                            id: f.id.clone(),
                            crv,
                            hours: intensity::monthly_hours(kind, cfg),
                            relationship_type: kind,
                        });
                }
            }
        }
    }
    let list = cfg.portfolio.queue_list;
    let churned_total: usize = churn.values().map(|(n, _)| n).sum();
    let churn_rows: Vec<ChurnRow> = churn
        .into_iter()
        .map(|(slot, (customers, profit_lost))| ChurnRow {
            reason: LostReason::ALL
                .get(slot)
                .map_or("unrecorded", |r| r.code())
                .to_string(),
            customers,
            share: customers as f64 / churned_total.max(1) as f64,
            profit_lost,
        })
        .collect();
    Portfolio {
        as_of,
        customers: facts.len(),
        queues: Queues {
            acquire: acquire.finish(list),
            retain: retain.finish(list),
            win_back: win_back.finish(list),
        },
        tiers,
        prospects: stats.prospects,
        churned: stats.churned,
        stages,
        pareto: pareto(profits, cfg),
        size_bands: size_bands(sized, cfg.portfolio.size_bands),
        retention: stats.retention.clone(),
        profit_lost: churn_rows.iter().map(|c| c.profit_lost).sum(),
        churn: churn_rows,
        capacity: candidates
            .into_iter()
            .map(|(owner, list)| {
                capacity::plan(owner, list, capacity_hours, cfg.capacity.knapsack_max_cells)
            })
            .collect(),
    }
}

/// The CRM queue a customer is in, if any, and what working it is expected to bring:
/// prospects (CLV of their potential margin); platinum and gold customers not in decline
/// (CRV); customers in decline (CRV, at least 0) and churned customers worth winning back,
/// not let go on purpose (second-lifecycle value − win-back cost).
pub fn queue_of(
    f: &CustomerFacts,
    crv: f64,
    stats: &BookStats,
    cfg: &Config,
) -> Option<(QueueKind, f64)> {
    let r = stats.retention.rate;
    match f.stage {
        Stage::Acquisition => Some((QueueKind::Acquire, value::clv(value::potential(f), r, cfg))),
        Stage::Churned => {
            let lost = value::win_back_value(f, r, cfg);
            let deliberate = matches!(
                f.lost.as_ref().map(|l| l.reason),
                Some(LostReason::Deliberate | LostReason::Involuntary)
            );
            (!deliberate && lost > cfg.value.win_back_cost)
                .then_some((QueueKind::WinBack, lost - cfg.value.win_back_cost))
        }
        Stage::Decline => Some((QueueKind::WinBack, crv.max(0.0))),
        Stage::Growth | Stage::Maturity => {
            let tier = value::tier(f.stage, crv, stats).unwrap_or(Tier::Lead);
            matches!(tier, Tier::Platinum | Tier::Gold).then_some((QueueKind::Retain, crv))
        }
    }
}

/// Everyone in one queue, most valuable first (then by id): the list behind the
/// portfolio's count, which the console drills into.
pub fn queue<'a>(
    facts: impl IntoIterator<Item = &'a CustomerFacts>,
    stats: &BookStats,
    cfg: &Config,
    kind: QueueKind,
) -> Vec<QueueEntry> {
    let mut entries = QueueBuilder::new();
    for f in facts {
        let crv = value::crv(f, stats.retention.rate, cfg);
        if let Some((k, value)) = queue_of(f, crv, stats, cfg) {
            if k == kind {
                entries.push(f, value);
            }
        }
    }
    entries.finish(usize::MAX).top
}

fn share_of(part: f64, total: f64) -> Option<f64> {
    (total > 0.0).then(|| part / total)
}

pub fn pareto(mut profits: Vec<f64>, cfg: &Config) -> Pareto {
    profits.sort_by(|a, b| b.total_cmp(a));
    let n = profits.len();
    let top = share_count(n, cfg.portfolio.pareto_top_share);
    let bottom = share_count(n, cfg.portfolio.pareto_bottom_share);
    let total: f64 = profits.iter().sum();
    let top_profit: f64 = profits[..top].iter().sum();
    let bottom_profit: f64 = profits[n - bottom..].iter().sum();
    Pareto {
        customers: n,
        total_profit: total,
        top_customers: top,
        top_profit,
        top_profit_share: share_of(top_profit, total),
        bottom_customers: bottom,
        bottom_profit,
        bottom_profit_share: share_of(bottom_profit, total),
    }
}

/// Equal-count bands by revenue: band b holds ranks [b·n/k, (b+1)·n/k) from the smallest.
pub fn size_bands(mut sized: Vec<(f64, f64)>, bands: usize) -> Vec<SizeBand> {
    sized.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = sized.len();
    let bands = bands.max(1).min(n);
    (0..bands)
        .map(|b| {
            let slice = &sized[b * n / bands..(b + 1) * n / bands];
            let revenue: f64 = slice.iter().map(|s| s.0).sum();
            let margin: f64 = slice.iter().map(|s| s.1).sum();
            SizeBand {
                band: b + 1,
                customers: slice.len(),
                revenue_min: slice.first().map_or(0.0, |s| s.0),
                revenue_max: slice.last().map_or(0.0, |s| s.0),
                revenue,
                margin,
                margin_rate: if revenue > 0.0 { margin / revenue } else { 0.0 },
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "portfolio_tests.rs"]
mod tests;
