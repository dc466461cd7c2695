//! The book list's state: every line once, packed (see `packed`), and the filtered, sorted
//! order as indexes (`Vec<u32>`), so filtering or sorting 100k customers never copies one.

use crate::i18n::{level_label, stage_label, t, tier_label, tr};
use std::cmp::Ordering;

use crate::domain::card::{Level, Stage, Summary, Tier};
use crate::tui::packed::{Packed, PackedLines};
use crate::tui::vocab::SortKey;

/// A selection in a list of `len` rows, and the first row shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` rows, clamped to the list, keeping the selection within `height`
    /// visible rows.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.follow(len, height);
    }

    pub fn to_end(&mut self, len: usize, height: usize) {
        self.selected = len.saturating_sub(1);
        self.follow(len, height);
    }

    /// Keeps the selection inside the list and on screen, scrolling as little as possible.
    pub fn follow(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub stage: Option<Stage>,
    /// `Some(None)` keeps the customers without a tier (prospects and churned).
    pub tier: Option<Option<Tier>>,
    pub level: Option<Level>,
    pub owner: Option<String>,
    /// Only these customers: a portfolio queue drilled into.
    pub only: Option<Only>,
}

/// A set of customers the list is narrowed to, and what they are in words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Only {
    pub label: String,
    pub ids: Vec<String>,
}

/// How the list was shown (filter, order, selected customer), to show it so again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    filter: Filter,
    sort: SortKey,
    reverse: bool,
    selected: Option<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// `owner` is the filter's owner as an index of the lines' owners (`None` inside when
    /// nobody has that login).
    fn keeps(&self, p: &Packed, owner: Option<Option<u32>>) -> bool {
        self.stage.is_none_or(|stage| p.stage == stage)
            && self.tier.is_none_or(|tier| p.tier == tier)
            && self.level.is_none_or(|level| p.level == level)
            && owner.is_none_or(|owner| owner == Some(p.owner))
    }

    /// The active filter in words, e.g. `stage=decline tier=gold`; "all" when none.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(stage) = self.stage {
            parts.push(tr("filter-stage", &[("value", &stage_label(stage))]));
        }
        match self.tier {
            Some(Some(tier)) => parts.push(tr("filter-tier", &[("value", &tier_label(tier))])),
            Some(None) => parts.push(t("filter-tier-none")),
            None => {}
        }
        if let Some(level) = self.level {
            parts.push(tr("filter-level", &[("value", &level_label(level))]));
        }
        if let Some(owner) = &self.owner {
            parts.push(tr("filter-owner", &[("value", owner)]));
        }
        if let Some(only) = &self.only {
            parts.push(only.label.clone());
        }
        if parts.is_empty() {
            t("filter-all")
        } else {
            parts.join(" ")
        }
    }
}

/// The next value in a cycle that starts and ends with "no filter".
fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(value) => {
            let i = all.iter().position(|v| *v == value).unwrap_or(all.len());
            all.get(i + 1).copied()
        }
    }
}

pub struct BookList {
    /// In id order, so a customer is found by binary search without a map beside it.
    summaries: PackedLines,
    /// Each summary's place in name order (case blind, then id), ranked once so sorting by
    /// name neither allocates per comparison nor keeps 100k lower-cased names around.
    name_rank: Vec<u32>,
    /// Whether another customer has the same name (case blind): such names are shown with
    /// the id beside them, or two customers could not be told apart.
    name_shared: Vec<bool>,
    pub rows: Vec<u32>,
    pub filter: Filter,
    pub sort: SortKey,
    pub reverse: bool,
    pub cursor: Cursor,
    /// The book's size while only its first page is loaded (see `App::preview`).
    pub partial_total: Option<usize>,
}

impl BookList {
    pub fn new(summaries: Vec<Summary>) -> BookList {
        let mut list = BookList {
            summaries: PackedLines::default(),
            name_rank: Vec::new(),
            name_shared: Vec::new(),
            rows: Vec::new(),
            filter: Filter::default(),
            sort: SortKey::Name,
            reverse: false,
            cursor: Cursor::default(),
            partial_total: None,
        };
        list.replace(summaries);
        list
    }

    /// Takes a fresh set of summaries, keeping filter, sort and the selected customer.
    pub fn replace(&mut self, mut summaries: Vec<Summary>) {
        let selected = self.selected().map(|s| s.id.clone());
        if !summaries.is_sorted_by(|a, b| a.id <= b.id) {
            summaries.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        }
        self.summaries = PackedLines::new(&summaries);
        drop(summaries);
        (self.name_rank, self.name_shared) = name_ranks(&self.summaries);
        self.partial_total = None;
        self.rebuild(selected.as_deref());
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn total(&self) -> usize {
        self.partial_total.unwrap_or(self.summaries.len())
    }

    /// The summary shown at row `row` of the filtered, sorted list.
    pub fn row(&self, row: usize) -> Option<Summary> {
        let index = *self.rows.get(row)?;
        self.summaries.summary(index as usize)
    }

    /// Whether another customer of the book has the same name as the one at `row`.
    pub fn row_name_shared(&self, row: usize) -> bool {
        self.rows
            .get(row)
            .is_some_and(|&i| self.name_shared[i as usize])
    }

    /// Whether another customer of the book has the same name as customer `id`.
    pub fn name_shared(&self, id: &str) -> bool {
        self.index_of(id)
            .is_some_and(|i| self.name_shared[i as usize])
    }

    /// The `i`-th summary of the whole book, ignoring filter and sort.
    pub fn nth(&self, i: usize) -> Option<Summary> {
        self.summaries.summary(i)
    }

    /// How many customers each owner has (the whole book, ignoring filter), by owner.
    pub fn owner_counts(&self) -> Vec<(&str, usize)> {
        self.summaries.owner_counts()
    }

    /// Every owner once, sorted.
    pub fn owners(&self) -> &[String] {
        self.summaries.owners()
    }

    /// Every segment once, sorted.
    pub fn segments(&self) -> &[String] {
        self.summaries.segments()
    }

    pub fn selected(&self) -> Option<Summary> {
        self.row(self.cursor.selected)
    }

    fn selected_id(&self) -> Option<String> {
        let index = *self.rows.get(self.cursor.selected)?;
        Some(self.summaries.id(index as usize).to_string())
    }

    fn index_of(&self, id: &str) -> Option<u32> {
        let (mut low, mut high) = (0, self.summaries.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.summaries.id(mid).cmp(id) {
                Ordering::Less => low = mid + 1,
                Ordering::Greater => high = mid,
                Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    pub fn get(&self, id: &str) -> Option<Summary> {
        self.summaries.summary(self.index_of(id)? as usize)
    }

    pub fn select_id(&mut self, id: &str) -> bool {
        let Some(index) = self.index_of(id) else {
            return false;
        };
        match self.rows.iter().position(|&r| r == index) {
            Some(row) => {
                self.cursor.selected = row;
                true
            }
            None => false,
        }
    }

    pub fn cycle_stage(&mut self) {
        self.filter.stage = cycle(self.filter.stage, Stage::ALL);
        self.refilter();
    }

    pub fn cycle_level(&mut self) {
        self.filter.level = cycle(self.filter.level, Level::ALL);
        self.refilter();
    }

    pub fn cycle_tier(&mut self) {
        let options: Vec<Option<Tier>> = Tier::ALL
            .iter()
            .map(|t| Some(*t))
            .chain(std::iter::once(None))
            .collect();
        self.filter.tier = cycle(self.filter.tier, &options);
        self.refilter();
    }

    pub fn cycle_owner(&mut self) {
        let owners = self.summaries.owners();
        self.filter.owner = match &self.filter.owner {
            None => owners.first().cloned(),
            Some(owner) => {
                let i = owners.iter().position(|o| o == owner);
                i.and_then(|i| owners.get(i + 1)).cloned()
            }
        };
        self.refilter();
    }

    /// How the list is shown now, for `show_as` to bring back.
    pub fn shown(&self) -> Shown {
        Shown {
            filter: self.filter.clone(),
            sort: self.sort,
            reverse: self.reverse,
            selected: self.selected_id(),
        }
    }

    pub fn show_as(&mut self, shown: Shown) {
        self.filter = shown.filter;
        self.sort = shown.sort;
        self.reverse = shown.reverse;
        self.rebuild(shown.selected.as_deref());
    }

    /// Shows only what `filter` keeps, most valuable first, from the top.
    pub fn narrow(&mut self, filter: Filter) {
        self.filter = filter;
        self.sort = SortKey::Value;
        self.reverse = false;
        self.rebuild(None);
    }

    pub fn clear_filters(&mut self) {
        self.filter = Filter::default();
        self.refilter();
    }

    /// Sorts by `key`; the same key again reverses the order.
    pub fn sort_by(&mut self, key: SortKey) {
        if self.sort == key {
            self.reverse = !self.reverse;
        } else {
            self.sort = key;
            self.reverse = false;
        }
        let selected = self.selected_id();
        self.rebuild(selected.as_deref());
    }

    fn refilter(&mut self) {
        let selected = self.selected_id();
        self.rebuild(selected.as_deref());
    }

    fn rebuild(&mut self, keep: Option<&str>) {
        let filter = &self.filter;
        let owner = filter
            .owner
            .as_deref()
            .map(|owner| self.summaries.owner_index(owner));
        // The lines of the customers `only` names, by their place in id order.
        let member = filter.only.as_ref().map(|only| {
            let mut member = vec![false; self.summaries.len()];
            for id in &only.ids {
                if let Some(i) = self.index_of(id) {
                    member[i as usize] = true;
                }
            }
            member
        });
        let summaries = self.summaries.lines();
        let mut rows: Vec<u32> = summaries
            .iter()
            .enumerate()
            .filter(|(i, p)| filter.keeps(p, owner) && member.as_ref().is_none_or(|m| m[*i]))
            .map(|(i, _)| i as u32)
            .collect();
        let ranks = &self.name_rank;
        let by_name = |a: u32, b: u32| ranks[a as usize].cmp(&ranks[b as usize]);
        let sort = self.sort;
        rows.sort_unstable_by(|&a, &b| {
            let (x, y) = (&summaries[a as usize], &summaries[b as usize]);
            let primary = match sort {
                SortKey::Name => Ordering::Equal,
                SortKey::Value => y.crv.total_cmp(&x.crv),
                // Never contacted first: they are the most neglected.
                SortKey::LastContact => x.last_contact.cmp(&y.last_contact),
                SortKey::Urgency => match (urgency_of(x), urgency_of(y)) {
                    (Some(p), Some(q)) => p.cmp(&q).then_with(|| y.crv.total_cmp(&x.crv)),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => y.crv.total_cmp(&x.crv),
                },
            };
            primary.then_with(|| by_name(a, b))
        });
        if self.reverse {
            rows.reverse();
        }
        self.rows = rows;
        self.cursor = Cursor::default();
        if let Some(id) = keep {
            self.select_id(id);
        }
    }
}

/// The place of each line in name order (case blind, then id), and whether its name is
/// another line's too (neighbours in that order).
fn name_ranks(summaries: &PackedLines) -> (Vec<u32>, Vec<bool>) {
    // Lines are in id order, so the index breaks ties as the id would.
    let mut order: Vec<(String, u32)> = (0..summaries.len() as u32)
        .map(|i| (summaries.name(i as usize).to_lowercase(), i))
        .collect();
    order.sort_unstable();
    let mut ranks = vec![0; summaries.len()];
    let mut shared = vec![false; summaries.len()];
    for (rank, (name, i)) in order.iter().enumerate() {
        ranks[*i as usize] = rank as u32;
        if let Some((before, j)) = rank.checked_sub(1).map(|r| &order[r]) {
            if before == name {
                shared[*i as usize] = true;
                shared[*j as usize] = true;
            }
        }
    }
    (ranks, shared)
}

/// Urgency: the earliest date something is due (an open task or the top action).
pub fn urgency(s: &Summary) -> Option<jiff::civil::Date> {
    earliest(s.next_due, s.top_action_due)
}

fn urgency_of(p: &Packed) -> Option<jiff::civil::Date> {
    earliest(p.next_due, p.top_action_due)
}

fn earliest(
    a: Option<jiff::civil::Date>,
    b: Option<jiff::civil::Date>,
) -> Option<jiff::civil::Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn summary(id: &str, name: &str, crv: f64, stage: Stage, tier: Option<Tier>) -> Summary {
        Summary {
            id: id.into(),
            name: name.into(),
            owner: if crv > 100.0 {
                "alice".into()
            } else {
                "bob".into()
            },
            segment: String::new(),
            as_of: date(2026, 11, 22),
            stage,
            second_lifecycle: false,
            level: Level::None,
            tier,
            top_action: None,
            top_action_due: None,
            last_contact: None,
            margin_12m: 0.0,
            crv,
            next_due: None,
        }
    }

    fn list() -> BookList {
        let mut b = summary("b", "beta", 50.0, Stage::Decline, Some(Tier::Iron));
        b.last_contact = Some(date(2026, 1, 1));
        b.next_due = Some(date(2026, 12, 1));
        let mut c = summary("c", "Gamma", 500.0, Stage::Maturity, Some(Tier::Gold));
        c.last_contact = Some(date(2026, 6, 1));
        c.top_action_due = Some(date(2026, 11, 23));
        let a = summary("a", "Alpha", 10.0, Stage::Acquisition, None);
        BookList::new(vec![b, c, a])
    }

    fn ids(list: &BookList) -> Vec<String> {
        (0..list.len()).map(|r| list.row(r).unwrap().id).collect()
    }

    #[test]
    fn sorts_by_name_case_blind_and_reverses() {
        let mut l = list();
        assert_eq!(ids(&l), ["a", "b", "c"]);
        l.sort_by(SortKey::Name);
        assert_eq!(ids(&l), ["c", "b", "a"]);
    }

    #[test]
    fn sorts_by_value_contact_and_urgency() {
        let mut l = list();
        l.sort_by(SortKey::Value);
        assert_eq!(ids(&l), ["c", "b", "a"]);
        l.sort_by(SortKey::LastContact);
        assert_eq!(ids(&l), ["a", "b", "c"]);
        l.sort_by(SortKey::Urgency);
        assert_eq!(ids(&l), ["c", "b", "a"]);
    }

    #[test]
    fn filters_cycle_and_keep_the_selection() {
        let mut l = list();
        l.cursor.selected = 1; // "b"
        l.cycle_stage(); // acquisition
        assert_eq!(ids(&l), ["a"]);
        l.cycle_stage(); // growth
        assert!(l.is_empty());
        l.clear_filters();
        l.cycle_tier(); // platinum
        l.cycle_tier(); // gold
        assert_eq!(ids(&l), ["c"]);
        assert_eq!(l.filter.describe(), "tier=gold");
        for _ in 0..3 {
            l.cycle_tier(); // iron, lead, none
        }
        assert_eq!(ids(&l), ["a"]);
        l.cycle_tier();
        assert!(l.filter.is_empty());
        l.cycle_owner(); // alice
        assert_eq!(ids(&l), ["c"]);
        l.cycle_owner(); // bob
        assert_eq!(ids(&l), ["a", "b"]);
        // The selection falls to the top when its customer was filtered out ...
        assert_eq!(l.selected().unwrap().id, "a");
        l.select_id("b");
        l.cycle_owner();
        assert_eq!(l.filter.owner, None);
        // ... and stays on its customer while it is still listed.
        assert_eq!(l.selected().unwrap().id, "b");
    }

    #[test]
    fn same_names_are_marked_case_blind() {
        let mut l = BookList::new(vec![
            summary("a", "Acme", 10.0, Stage::Maturity, None),
            summary("b", "beta", 10.0, Stage::Maturity, None),
            summary("c", "ACME", 10.0, Stage::Maturity, None),
            summary("d", "Acme Trading", 10.0, Stage::Maturity, None),
        ]);
        // Name order: Acme (a), ACME (c), Acme Trading, beta.
        assert_eq!(ids(&l), ["a", "c", "d", "b"]);
        let shared: Vec<bool> = (0..4).map(|r| l.row_name_shared(r)).collect();
        assert_eq!(shared, [true, true, false, false]);
        assert!(l.name_shared("c") && !l.name_shared("d") && !l.name_shared("zz"));
        l.sort_by(SortKey::Value);
        assert!(l.row_name_shared(l.rows.iter().position(|&i| i == 2).unwrap()));
    }

    #[test]
    fn narrowed_to_a_set_and_shown_again_as_it_was() {
        let mut l = list();
        l.sort_by(SortKey::LastContact);
        l.select_id("b");
        let before = l.shown();
        l.narrow(Filter {
            only: Some(Only {
                label: "queue=win back".into(),
                // "z" is no customer of this list: left out, not an error.
                ids: vec!["a".into(), "c".into(), "z".into()],
            }),
            ..Filter::default()
        });
        // Most valuable first, from the top.
        assert_eq!(ids(&l), ["c", "a"]);
        assert_eq!(l.cursor.selected, 0);
        assert_eq!(l.filter.describe(), "queue=win back");
        // Filters narrow the set further.
        l.cycle_stage(); // acquisition
        assert_eq!(ids(&l), ["a"]);
        l.show_as(before);
        assert_eq!(l.sort, SortKey::LastContact);
        assert!(l.filter.is_empty());
        assert_eq!(ids(&l), ["a", "b", "c"]);
        assert_eq!(l.selected().unwrap().id, "b");
    }

    #[test]
    fn cursor_scrolls_minimally() {
        let mut c = Cursor::default();
        c.move_by(5, 10, 3);
        assert_eq!((c.selected, c.offset), (5, 3));
        c.move_by(-1, 10, 3);
        assert_eq!((c.selected, c.offset), (4, 3));
        c.move_by(-4, 10, 3);
        assert_eq!((c.selected, c.offset), (0, 0));
        c.to_end(10, 3);
        assert_eq!((c.selected, c.offset), (9, 7));
        c.move_by(3, 0, 3);
        assert_eq!(c, Cursor::default());
    }
}
