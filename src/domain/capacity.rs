//! Whom to customise for (DOMAIN.md §8): per owner, the customers whose summed CRV is
//! largest while the monthly effort their recommended relationship type needs fits the
//! owner's capacity. A 0/1 knapsack over quarter hours, solved exactly by dynamic
//! programming (O(candidates × quarter hours) time, one bit per cell of memory).

use serde::{Deserialize, Serialize};

use super::card::RelationshipType;
use super::model::CustomerId;

/// Quarter hours in `hours`: effort is rounded up (never under-planned), capacity down.
pub fn quarters_needed(hours: f64) -> usize {
    if hours.is_finite() && hours > 0.0 {
        (hours * 4.0 - 1e-9).ceil() as usize
    } else {
        0
    }
}

pub fn quarters_available(hours: f64) -> usize {
    if hours.is_finite() && hours > 0.0 {
        (hours * 4.0 + 1e-9).floor() as usize
    } else {
        0
    }
}

/// The chosen item indices (ascending) and whether the choice is proven optimal.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub chosen: Vec<usize>,
    pub exact: bool,
}

/// Maximises Σ value over chosen items with Σ weight <= capacity. Items with a value of 0
/// or less are never chosen. Ties go to the earlier item. When the table would exceed
/// `max_cells`, falls back to greedy by value per weight and says so.
pub fn knapsack(values: &[f64], weights: &[usize], capacity: usize, max_cells: usize) -> Choice {
    let n = values.len().min(weights.len());
    let usable: Vec<usize> = (0..n)
        .filter(|&i| values[i] > 0.0 && weights[i] <= capacity)
        .collect();
    let total: usize = usable.iter().map(|&i| weights[i]).sum();
    if total <= capacity {
        return Choice {
            chosen: usable,
            exact: true,
        };
    }
    let width = capacity + 1;
    let cells = usable.len().saturating_mul(width);
    if cells > max_cells {
        return greedy(values, weights, &usable, capacity);
    }
    // best[w]: the largest value of the items seen so far within weight w.
    let mut best = vec![0.0_f64; width];
    let mut keep = vec![0_u64; cells.div_ceil(64)];
    for (row, &i) in usable.iter().enumerate() {
        let (value, weight) = (values[i], weights[i]);
        for w in (weight..width).rev() {
            let with = best[w - weight] + value;
            if with > best[w] {
                best[w] = with;
                let bit = row * width + w;
                keep[bit / 64] |= 1 << (bit % 64);
            }
        }
    }
    let mut chosen = Vec::new();
    let mut w = capacity;
    for (row, &i) in usable.iter().enumerate().rev() {
        let bit = row * width + w;
        if keep[bit / 64] & (1 << (bit % 64)) != 0 {
            chosen.push(i);
            w -= weights[i];
        }
    }
    chosen.reverse();
    Choice {
        chosen,
        exact: true,
    }
}

fn greedy(values: &[f64], weights: &[usize], usable: &[usize], capacity: usize) -> Choice {
    let mut order = usable.to_vec();
    // Weight 0 items first (infinite density), then by value per quarter hour.
    let density = |i: usize| {
        if weights[i] == 0 {
            f64::INFINITY
        } else {
            values[i] / weights[i] as f64
        }
    };
    order.sort_by(|&a, &b| density(b).total_cmp(&density(a)).then(a.cmp(&b)));
    let mut left = capacity;
    let mut chosen: Vec<usize> = Vec::new();
    for i in order {
        if weights[i] <= left {
            left -= weights[i];
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    Choice {
        chosen,
        exact: false,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanEntry {
    pub id: CustomerId,
    pub crv: f64,
    pub hours: f64,
    pub relationship_type: RelationshipType,
}

/// One owner's capacity plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerPlan {
    pub owner: String,
    pub capacity_hours: f64,
    /// Customers with CRV > 0 (not prospects, not churned).
    pub candidates: usize,
    /// Chosen for one-to-one treatment, highest CRV first.
    pub chosen: Vec<PlanEntry>,
    pub chosen_crv: f64,
    pub used_hours: f64,
    /// Candidates left to mass treatment, and their CRV.
    pub left_out: usize,
    pub left_out_crv: f64,
    /// False when the plan was made greedily (see `capacity.knapsack_max_cells`).
    pub exact: bool,
}

/// Plans one owner's month. `candidates` are (id, crv, recommended type, hours).
pub fn plan(
    owner: &str,
    mut candidates: Vec<PlanEntry>,
    capacity_hours: f64,
    max_cells: usize,
) -> OwnerPlan {
    // A fixed order makes ties deterministic: higher CRV first, then id.
    candidates.sort_by(|a, b| b.crv.total_cmp(&a.crv).then_with(|| a.id.cmp(&b.id)));
    let values: Vec<f64> = candidates.iter().map(|c| c.crv).collect();
    let weights: Vec<usize> = candidates
        .iter()
        .map(|c| quarters_needed(c.hours))
        .collect();
    let choice = knapsack(
        &values,
        &weights,
        quarters_available(capacity_hours),
        max_cells,
    );
    let total_crv: f64 = values.iter().sum();
    let count = candidates.len();
    let mut taken = vec![false; count];
    for &i in &choice.chosen {
        taken[i] = true;
    }
    let chosen: Vec<PlanEntry> = candidates
        .into_iter()
        .zip(taken)
        .filter_map(|(c, t)| t.then_some(c))
        .collect();
    let chosen_crv: f64 = chosen.iter().map(|c| c.crv).sum();
    let used_quarters: usize = choice.chosen.iter().map(|&i| weights[i]).sum();
    OwnerPlan {
        owner: owner.to_string(),
        capacity_hours,
        candidates: count,
        left_out: count - chosen.len(),
        left_out_crv: total_crv - chosen_crv,
        used_hours: used_quarters as f64 / 4.0,
        chosen_crv,
        chosen,
        exact: choice.exact,
    }
}

#[cfg(test)]
#[path = "capacity_tests.rs"]
mod tests;
