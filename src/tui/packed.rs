//! The book's list lines packed for a console that stays open all day: ids and names in
//! one text buffer, owners and segments interned, everything else fixed-size. A line takes
//! about 100 bytes instead of the ~250 of a `Summary` with its four heap strings; a
//! `Summary` is rebuilt only for what is drawn.

use jiff::civil::Date;

use crate::domain::card::{ActionCode, Level, Stage, Summary, Tier};

/// One line without its strings: what filtering and sorting read.
#[derive(Debug, Clone, Copy)]
pub struct Packed {
    id_end: usize,
    name_end: usize,
    /// Index into `PackedLines::owners` (sorted), so an owner filter compares numbers.
    pub owner: u32,
    segment: u32,
    as_of: Date,
    pub stage: Stage,
    second_lifecycle: bool,
    pub level: Level,
    pub tier: Option<Tier>,
    top_action: Option<ActionCode>,
    pub top_action_due: Option<Date>,
    pub last_contact: Option<Date>,
    margin_12m: f64,
    pub crv: f64,
    pub next_due: Option<Date>,
}

#[derive(Debug, Default)]
pub struct PackedLines {
    text: String,
    lines: Vec<Packed>,
    /// Every owner once, sorted.
    owners: Vec<String>,
    segments: Vec<String>,
}

/// The index of `value` in the sorted, deduplicated `table`.
fn interned(table: &[String], value: &str) -> u32 {
    table
        .binary_search_by(|t| t.as_str().cmp(value))
        .unwrap_or_default() as u32
}

fn table_of<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut table: Vec<String> = values.map(str::to_string).collect();
    table.sort_unstable();
    table.dedup();
    table
}

impl PackedLines {
    /// Packs `summaries`, keeping their order.
    pub fn new(summaries: &[Summary]) -> PackedLines {
        let owners = table_of(summaries.iter().map(|s| s.owner.as_str()));
        let segments = table_of(summaries.iter().map(|s| s.segment.as_str()));
        let bytes: usize = summaries.iter().map(|s| s.id.len() + s.name.len()).sum();
        let mut text = String::with_capacity(bytes);
        let mut lines = Vec::with_capacity(summaries.len());
        for s in summaries {
            text.push_str(&s.id);
            let id_end = text.len();
            text.push_str(&s.name);
            lines.push(Packed {
                id_end,
                name_end: text.len(),
                owner: interned(&owners, &s.owner),
                segment: interned(&segments, &s.segment),
                as_of: s.as_of,
                stage: s.stage,
                second_lifecycle: s.second_lifecycle,
                level: s.level,
                tier: s.tier,
                top_action: s.top_action,
                top_action_due: s.top_action_due,
                last_contact: s.last_contact,
                margin_12m: s.margin_12m,
                crv: s.crv,
                next_due: s.next_due,
            });
        }
        PackedLines {
            text,
            lines,
            owners,
            segments,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn packed(&self, i: usize) -> Option<&Packed> {
        self.lines.get(i)
    }

    pub fn lines(&self) -> &[Packed] {
        &self.lines
    }

    fn start(&self, i: usize) -> usize {
        match i.checked_sub(1) {
            Some(before) => self.lines.get(before).map_or(0, |p| p.name_end),
            None => 0,
        }
    }

    pub fn id(&self, i: usize) -> &str {
        let Some(p) = self.lines.get(i) else {
            return "";
        };
        self.text.get(self.start(i)..p.id_end).unwrap_or("")
    }

    pub fn name(&self, i: usize) -> &str {
        let Some(p) = self.lines.get(i) else {
            return "";
        };
        self.text.get(p.id_end..p.name_end).unwrap_or("")
    }

    pub fn owner(&self, i: usize) -> &str {
        self.lines
            .get(i)
            .and_then(|p| self.owners.get(p.owner as usize))
            .map_or("", String::as_str)
    }

    /// Every owner once, sorted.
    pub fn owners(&self) -> &[String] {
        &self.owners
    }

    /// Every segment once, sorted (as spelled; `""` when a customer has none).
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// How many customers each owner has, by owner (`owners()` order).
    pub fn owner_counts(&self) -> Vec<(&str, usize)> {
        let mut counts = vec![0; self.owners.len()];
        for p in &self.lines {
            if let Some(count) = counts.get_mut(p.owner as usize) {
                *count += 1;
            }
        }
        self.owners.iter().map(String::as_str).zip(counts).collect()
    }

    /// The index of `owner` among `owners()`, if anyone owns a customer under that login.
    pub fn owner_index(&self, owner: &str) -> Option<u32> {
        self.owners
            .binary_search_by(|o| o.as_str().cmp(owner))
            .ok()
            .map(|i| i as u32)
    }

    /// Line `i` as the engine made it.
    pub fn summary(&self, i: usize) -> Option<Summary> {
        let p = self.lines.get(i)?;
        Some(Summary {
            id: self.id(i).to_string(),
            name: self.name(i).to_string(),
            owner: self.owner(i).to_string(),
            segment: self
                .segments
                .get(p.segment as usize)
                .cloned()
                .unwrap_or_default(),
            as_of: p.as_of,
            stage: p.stage,
            second_lifecycle: p.second_lifecycle,
            level: p.level,
            tier: p.tier,
            top_action: p.top_action,
            top_action_due: p.top_action_due,
            last_contact: p.last_contact,
            margin_12m: p.margin_12m,
            crv: p.crv,
            next_due: p.next_due,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn line(id: &str, name: &str, owner: &str, segment: &str) -> Summary {
        Summary {
            id: id.into(),
            name: name.into(),
            owner: owner.into(),
            segment: segment.into(),
            as_of: date(2026, 11, 22),
            stage: Stage::Decline,
            second_lifecycle: true,
            level: Level::Social,
            tier: Some(Tier::Gold),
            top_action: Some(ActionCode::DiagnoseDecline),
            top_action_due: Some(date(2026, 11, 25)),
            last_contact: Some(date(2026, 10, 1)),
            margin_12m: -12.5,
            crv: 4200.0,
            next_due: None,
        }
    }

    #[test]
    fn every_line_comes_back_as_it_went_in() {
        let lines = vec![
            line("a1", "Acme Trading Co.", "li.na", "retail"),
            line("b22", "上海贸易有限公司", "alice", ""),
            line("c333", "", "li.na", "retail"),
            line("d", "Ünïcode Ltd", "", "wholesale"),
        ];
        let packed = PackedLines::new(&lines);
        assert_eq!(packed.len(), 4);
        for (i, expected) in lines.iter().enumerate() {
            assert_eq!(packed.summary(i).as_ref(), Some(expected));
            assert_eq!(packed.id(i), expected.id);
            assert_eq!(packed.name(i), expected.name);
            assert_eq!(packed.owner(i), expected.owner);
        }
        assert_eq!(packed.summary(4), None);
        assert_eq!(packed.id(4), "");
        assert_eq!(packed.owners(), ["", "alice", "li.na"]);
        assert_eq!(packed.owner_index("li.na"), Some(2));
        assert_eq!(packed.owner_index("bob"), None);
        assert_eq!(packed.packed(1).map(|p| p.owner), Some(1));
        assert_eq!(packed.owner_counts(), [("", 1), ("alice", 1), ("li.na", 2)]);
    }
}
