//! The agenda's ranking kept current (issue 14, "fast at 1M"): every customer's agenda
//! items held in order, per owner, in sorted multisets with rank queries
//! (`ranked::Ranked`). Choosing the customers of an agenda then reads the first `limit`
//! items of each owner's lists and counts the totals by rank, instead of collecting and
//! selecting every item of the book on each open (`agenda_keys::choose_where`, which stays
//! the definition: `choose` here answers exactly what it answers). A customer's changed
//! keys move their few items (microseconds); a customer added or removed shifts the later
//! positions (one pass over the items, no sort).
//!
//! Items are ranked as `agenda_keys` ranks them, each packed into one integer whose order
//! is that ranking (a sort of a million items compares integers, not tuples of dates):
//!
//! - a follow-up: due day (24 bits) · CRV, higher first (64) · customer position (32);
//! - an action: priority (8) · CRV, higher first (64) · due day (24) · position (32).
//!
//! The position in the keys (which are in id order) orders as the customer id does. The
//! CRV is its `ranked::order_key` turned round. What the packing leaves out cannot change
//! which customers are chosen: two follow-ups equal here are the same customer's, due the
//! same day (the task id told them apart), and a customer's actions differ in priority
//! (each code has its own; the code told them apart). The multiset keeps such equal items
//! as two.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::actions::priority;
use super::agenda_keys::{AgendaKeys, Chosen};
use super::days::day_number;
use super::ranked::{order_key, Ranked};

/// A follow-up's rank: due, higher CRV first, customer position.
type FollowUpRank = u128;
/// An action's rank: priority, higher CRV first, due, customer position.
type ActionRank = u128;

/// A day as 24 bits in date order: every date `jiff` holds (years -9999 to 9999, about
/// ±4.4 million days from 1970) is within 2²³ days of 1970.
fn day_bits(date: Date) -> u128 {
    let day = day_number(date) + (1 << 23);
    u128::try_from(day.clamp(0, (1 << 24) - 1)).unwrap_or(0)
}

fn follow_up_rank(due: Date, crv: u64, at: u32) -> FollowUpRank {
    day_bits(due) << 96 | u128::from(crv) << 32 | u128::from(at)
}

/// The customer's position in a rank of either kind (its lowest 32 bits).
fn position_of(rank: u128) -> usize {
    usize::try_from(rank & u128::from(u32::MAX)).unwrap_or(usize::MAX)
}

/// The rank moved to another position.
fn at_position(rank: u128, at: u32) -> u128 {
    rank & !u128::from(u32::MAX) | u128::from(at)
}

/// One owner's items, each list in rank order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct OwnerLists {
    /// Due or overdue (the keys' `follow_ups`): the overdue ones first, then today's.
    follow_ups: Ranked<FollowUpRank>,
    this_week: Ranked<FollowUpRank>,
    actions: Ranked<ActionRank>,
}

/// Higher CRV first, as an integer.
fn crv_rank(crv: f64) -> u64 {
    u64::MAX - order_key(crv)
}

/// A position as the index keeps it: a book holds fewer than 2³² customers.
fn position(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

fn follow_up_ranks(key: &AgendaKeys, at: usize) -> impl Iterator<Item = FollowUpRank> + '_ {
    let (crv, at) = (crv_rank(key.crv), position(at));
    key.follow_ups
        .iter()
        .map(move |&(due, _)| follow_up_rank(due, crv, at))
}

fn this_week_ranks(key: &AgendaKeys, at: usize) -> impl Iterator<Item = FollowUpRank> + '_ {
    let (crv, at) = (crv_rank(key.crv), position(at));
    key.upcoming
        .iter()
        .map(move |&(due, _)| follow_up_rank(due, crv, at))
}

fn action_ranks(key: &AgendaKeys, at: usize) -> impl Iterator<Item = ActionRank> + '_ {
    let (crv, at) = (crv_rank(key.crv), position(at));
    key.actions.iter().map(move |&(code, due)| {
        let priority = u8::try_from(priority(code)).unwrap_or(u8::MAX);
        u128::from(priority) << 120 | u128::from(crv) << 56 | day_bits(due) << 32 | u128::from(at)
    })
}

/// Every owner's agenda items in rank order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgendaIndex {
    owners: BTreeMap<String, OwnerLists>,
}

impl AgendaIndex {
    /// The index of `keys` (in id order): each owner's items gathered, then sorted once.
    pub fn of(keys: &[AgendaKeys]) -> AgendaIndex {
        // Per owner: the follow-ups due or overdue, this week's, the actions.
        let mut gathered: BTreeMap<&str, [Vec<u128>; 3]> = BTreeMap::new();
        for (at, key) in keys.iter().enumerate() {
            let [follow_ups, this_week, actions] = gathered.entry(&key.owner).or_default();
            follow_ups.extend(follow_up_ranks(key, at));
            this_week.extend(this_week_ranks(key, at));
            actions.extend(action_ranks(key, at));
        }
        let owners = gathered
            .into_iter()
            .filter(|(_, lists)| lists.iter().any(|list| !list.is_empty()))
            .map(|(owner, [follow_ups, this_week, actions])| {
                let lists = OwnerLists {
                    follow_ups: Ranked::of(follow_ups),
                    this_week: Ranked::of(this_week),
                    actions: Ranked::of(actions),
                };
                (owner.to_string(), lists)
            })
            .collect();
        AgendaIndex { owners }
    }

    /// The customer at `at` whose keys were `old` now has `new`.
    pub fn replace(&mut self, at: usize, old: &AgendaKeys, new: &AgendaKeys) {
        self.take_out(at, old);
        self.put_in(at, new);
    }

    /// A customer inserted at `at` (those from `at` on move one place on).
    pub fn insert(&mut self, at: usize, new: &AgendaKeys) {
        self.shift(at, |p| p + 1);
        self.put_in(at, new);
    }

    /// The customer at `at`, whose keys were `old`, removed (those after it move back).
    pub fn remove(&mut self, at: usize, old: &AgendaKeys) {
        self.take_out(at, old);
        self.shift(at + 1, |p| p - 1);
    }

    /// An owner is held while it has an item: the index of the same keys is the same
    /// whichever way it was made.
    fn put_in(&mut self, at: usize, key: &AgendaKeys) {
        if key.follow_ups.is_empty() && key.upcoming.is_empty() && key.actions.is_empty() {
            return;
        }
        let lists = self.owners.entry(key.owner.clone()).or_default();
        follow_up_ranks(key, at).for_each(|r| lists.follow_ups.insert(r));
        this_week_ranks(key, at).for_each(|r| lists.this_week.insert(r));
        action_ranks(key, at).for_each(|r| lists.actions.insert(r));
    }

    fn take_out(&mut self, at: usize, key: &AgendaKeys) {
        let Some(lists) = self.owners.get_mut(&key.owner) else {
            return;
        };
        follow_up_ranks(key, at).for_each(|r| {
            lists.follow_ups.remove(&r);
        });
        this_week_ranks(key, at).for_each(|r| {
            lists.this_week.remove(&r);
        });
        action_ranks(key, at).for_each(|r| {
            lists.actions.remove(&r);
        });
        let empty =
            lists.follow_ups.is_empty() && lists.this_week.is_empty() && lists.actions.is_empty();
        if empty {
            self.owners.remove(&key.owner);
        }
    }

    /// Every position from `from` on moved by `by` (which keeps their order).
    fn shift(&mut self, from: usize, by: impl Fn(u32) -> u32 + Copy) {
        let from = position(from);
        let moved = |rank: u128| {
            // Positions are 32 bits (`position`): the conversion keeps them whole.
            let p = u32::try_from(position_of(rank)).unwrap_or(u32::MAX);
            if p >= from {
                at_position(rank, by(p))
            } else {
                rank
            }
        };
        for lists in self.owners.values_mut() {
            lists.follow_ups.map_in_place(moved);
            lists.this_week.map_in_place(moved);
            lists.actions.map_in_place(moved);
        }
    }

    /// What `agenda_keys::choose_where` chooses over the keys this index holds, for the
    /// owners `keep` lets through (and `owner`, when given): the first `limit` items of
    /// each such owner's lists merged, and the totals counted by rank.
    pub fn choose(
        &self,
        owner: Option<&str>,
        keep: &dyn Fn(&str) -> bool,
        as_of: Date,
        limit: usize,
    ) -> Chosen {
        let mut follow_ups: Vec<FollowUpRank> = Vec::new();
        let mut today: Vec<FollowUpRank> = Vec::new();
        let mut this_week: Vec<FollowUpRank> = Vec::new();
        let mut actions: Vec<ActionRank> = Vec::new();
        let mut chosen = Chosen {
            positions: BTreeSet::new(),
            follow_ups_total: 0,
            actions_total: 0,
            overdue_total: 0,
            today_total: 0,
            this_week_total: 0,
        };
        let first_today = follow_up_rank(as_of, 0, 0);
        let last_today = follow_up_rank(as_of, u64::MAX, u32::MAX);
        let wanted = self
            .owners
            .iter()
            .filter(|(name, _)| owner.is_none_or(|o| o == name.as_str()) && keep(name));
        for (_, lists) in wanted {
            chosen.follow_ups_total += lists.follow_ups.len();
            chosen.today_total += lists.follow_ups.count_between(&first_today, &last_today);
            chosen.this_week_total += lists.this_week.len();
            chosen.actions_total += lists.actions.len();
            follow_ups.extend(lists.follow_ups.iter().take(limit));
            today.extend(
                lists
                    .follow_ups
                    .between(first_today, last_today)
                    .take(limit),
            );
            this_week.extend(lists.this_week.iter().take(limit));
            actions.extend(lists.actions.iter().take(limit));
        }
        chosen.overdue_total = chosen.follow_ups_total - chosen.today_total;
        for mut list in [follow_ups, today, this_week, actions] {
            list.sort_unstable();
            chosen
                .positions
                .extend(list.iter().take(limit).map(|&rank| position_of(rank)));
        }
        chosen
    }
}

/// Every customer's agenda keys, in id order, and (once an agenda has been asked of them)
/// their index, kept current with them.
#[derive(Debug, Clone, Default)]
pub struct AgendaBoard {
    keys: Vec<AgendaKeys>,
    index: Option<AgendaIndex>,
}

impl AgendaBoard {
    /// The keys without an index: it is made when first needed (a book list alone never
    /// pays for it).
    pub fn new(keys: Vec<AgendaKeys>) -> AgendaBoard {
        AgendaBoard { keys, index: None }
    }

    pub fn keys(&self) -> &[AgendaKeys] {
        &self.keys
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys of the customer at `at`, made again.
    pub fn set(&mut self, at: usize, key: AgendaKeys) {
        let Some(old) = self.keys.get_mut(at) else {
            return;
        };
        if let Some(index) = self.index.as_mut() {
            index.replace(at, old, &key);
        }
        *old = key;
    }

    /// A customer inserted at `at`.
    pub fn insert(&mut self, at: usize, key: AgendaKeys) {
        if at > self.keys.len() {
            return;
        }
        if let Some(index) = self.index.as_mut() {
            index.insert(at, &key);
        }
        self.keys.insert(at, key);
    }

    /// The customer at `at` removed.
    pub fn remove(&mut self, at: usize) {
        if at >= self.keys.len() {
            return;
        }
        let old = self.keys.remove(at);
        if let Some(index) = self.index.as_mut() {
            index.remove(at, &old);
        }
    }

    /// Whether the index is made (what the next `choose` will not have to pay).
    pub fn is_indexed(&self) -> bool {
        self.index.is_some()
    }

    /// `agenda_keys::choose_where` over these keys for the owners `keep` lets through,
    /// from the index (made now when it is not yet).
    pub fn choose(
        &mut self,
        owner: Option<&str>,
        keep: &dyn Fn(&str) -> bool,
        as_of: Date,
        limit: usize,
    ) -> Chosen {
        let keys = &self.keys;
        self.index
            .get_or_insert_with(|| AgendaIndex::of(keys))
            .choose(owner, keep, as_of, limit)
    }
}

#[cfg(test)]
#[path = "agenda_index_tests.rs"]
mod tests;
