//! A picker: a field whose value is one of a list (an owner, a PDCA scope, a lost reason),
//! shown in words and chosen from a small list that filters as the user types, so a value
//! the book does not know cannot be typed in. The field keeps the option's `value` (a
//! login, a scope's code, a reason's position), so the check reads it back without parsing
//! words, and a draft keeps the value whatever the list holds when it comes back.

use super::TextInput;
use crate::domain::search::normalize;

/// What the pickers of a form offer, read from the book when the form opens
/// (`tui::update::forms::known`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// The console user's login: offered first.
    pub actor: String,
    /// Every login owning a customer or holding an account on the book, sorted, each with the
    /// user's name when the book has one.
    pub owners: Vec<(String, String)>,
    /// The book's segments, each once (as a PDCA scope compares them: trimmed, any case).
    pub segments: Vec<String>,
    /// The customer the form is about (id, name): offered as a PDCA scope.
    pub customer: Option<(String, String)>,
}

/// One value a picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOption {
    /// What the form keeps and the check reads.
    pub value: String,
    /// What the user reads.
    pub label: String,
}

impl PickOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> PickOption {
        PickOption {
            value: value.into(),
            label: label.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub options: Vec<PickOption>,
    /// The option chosen; `None` until the user picks one (no reason is preselected).
    pub chosen: Option<usize>,
    /// Shown while nothing is chosen.
    pub placeholder: String,
    /// The list also offers a new value (a new owner's login), taken only after a question.
    pub takes_new: bool,
    /// The list, while it is open.
    pub list: Option<PickList>,
}

/// The open list: what is typed to filter it and the row the cursor is on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PickList {
    pub query: TextInput,
    pub cursor: usize,
}

/// A row of the open list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// `options[i]`.
    Option(usize),
    /// A new value, as typed (empty while nothing is typed).
    New(String),
}

impl Pick {
    pub fn new(options: Vec<PickOption>, chosen: Option<usize>, placeholder: String) -> Pick {
        let chosen = chosen.filter(|&i| i < options.len());
        Pick {
            options,
            chosen,
            placeholder,
            takes_new: false,
            list: None,
        }
    }

    /// The chosen option's value.
    pub fn value(&self) -> Option<&str> {
        self.chosen
            .and_then(|i| self.options.get(i))
            .map(|o| o.value.as_str())
    }

    /// The chosen option's words.
    pub fn label(&self) -> Option<&str> {
        self.chosen
            .and_then(|i| self.options.get(i))
            .map(|o| o.label.as_str())
    }

    /// Chooses the option holding `value`; false when the list has none.
    pub fn select(&mut self, value: &str) -> bool {
        match self.options.iter().position(|o| o.value == value) {
            Some(i) => {
                self.chosen = Some(i);
                true
            }
            None => false,
        }
    }

    /// Adds `option` (a confirmed new value) unless the list holds its value, and chooses it.
    pub fn add(&mut self, option: PickOption) {
        if !self.select(&option.value) {
            self.options.push(option);
            self.chosen = Some(self.options.len() - 1);
        }
    }

    pub fn is_open(&self) -> bool {
        self.list.is_some()
    }

    /// Opens the list, filtered by `typed` when the user opened it by typing; the cursor
    /// starts on the chosen option when nothing filters it.
    pub fn open(&mut self, typed: Option<char>) {
        let mut list = PickList::default();
        if let Some(c) = typed {
            list.query.insert(c);
        }
        self.list = Some(list);
        let rows = self.rows();
        let start = match (typed, self.chosen) {
            (None, Some(chosen)) => rows.iter().position(|r| *r == Row::Option(chosen)),
            _ => None,
        };
        if let Some(list) = self.list.as_mut() {
            list.cursor = start.unwrap_or(0);
        }
    }

    pub fn close(&mut self) {
        self.list = None;
    }

    /// The rows of the open list: the options whose words or value hold every typed word
    /// (case, width and accents folded), then, for a picker that takes new values, the new
    /// value as typed unless an option is exactly it (with nothing typed, the row says to
    /// type one).
    pub fn rows(&self) -> Vec<Row> {
        let query = self
            .list
            .as_ref()
            .map(|l| l.query.value().trim().to_string())
            .unwrap_or_default();
        let words: Vec<String> = normalize(&query)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let mut rows: Vec<Row> = self
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                let text = normalize(&format!("{} {}", o.label, o.value));
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .map(|(i, _)| Row::Option(i))
            .collect();
        if self.takes_new && (query.is_empty() || !self.options.iter().any(|o| o.value == query)) {
            rows.push(Row::New(query));
        }
        rows
    }

    /// The row under the cursor.
    pub fn current(&self) -> Option<Row> {
        let cursor = self.list.as_ref()?.cursor;
        self.rows().into_iter().nth(cursor)
    }

    /// Moves the cursor by `step` rows, staying within the list.
    pub fn move_cursor(&mut self, step: isize) {
        let last = self.rows().len().saturating_sub(1);
        if let Some(list) = self.list.as_mut() {
            list.cursor = list.cursor.saturating_add_signed(step).min(last);
        }
    }

    /// An edit of the typed filter; the cursor goes back to the first row when it changes.
    pub fn edit_query(&mut self, edit: impl FnOnce(&mut TextInput)) {
        if let Some(list) = self.list.as_mut() {
            let before = list.query.value().to_string();
            edit(&mut list.query);
            if list.query.value() != before {
                list.cursor = 0;
            }
        }
    }

    /// Left/Right on the closed field: the previous or next option (the first when none is
    /// chosen). True when the choice changed.
    pub fn step(&mut self, forward: bool) -> bool {
        let n = self.options.len();
        if n == 0 {
            return false;
        }
        let next = match (self.chosen, forward) {
            (None, _) => 0,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        let changed = self.chosen != Some(next);
        self.chosen = Some(next);
        changed
    }
}

/// The `most` values of `among` spelled closest to `typed` (fewest single-letter edits,
/// case folded; ties by value): what a typo most likely meant.
pub fn nearest<'a>(typed: &str, among: &[&'a str], most: usize) -> Vec<&'a str> {
    let typed: Vec<char> = typed.to_lowercase().chars().collect();
    let mut scored: Vec<(usize, &str)> = among
        .iter()
        .map(|value| {
            (
                edits(&typed, &value.to_lowercase().chars().collect::<Vec<_>>()),
                *value,
            )
        })
        .collect();
    scored.sort_unstable();
    scored.dedup();
    scored.into_iter().take(most).map(|(_, v)| v).collect()
}

/// Levenshtein distance between two words.
fn edits(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_nearest_to_what_it_meant() {
        let among = ["alice", "bob", "robert", "Bobby", "王伟"];
        assert_eq!(nearest("bobb", &among, 3), ["Bobby", "bob", "robert"]);
        assert_eq!(nearest("王", &among, 1), ["王伟"]);
        assert_eq!(nearest("x", &[], 3), Vec::<&str>::new());
        assert_eq!(edits(&['a', 'b'], &[]), 2);
    }

    fn owners() -> Pick {
        let mut pick = Pick::new(
            vec![
                PickOption::new("alice", "alice (you)"),
                PickOption::new("bob", "bob · Bob Stone"),
                PickOption::new("wang", "wang · 王伟"),
            ],
            Some(0),
            String::new(),
        );
        pick.takes_new = true;
        pick
    }

    fn typed(pick: &mut Pick, text: &str) {
        for c in text.chars() {
            pick.edit_query(|q| q.insert(c));
        }
    }

    #[test]
    fn typing_filters_by_words_and_value_and_offers_the_new_value_last() {
        let mut pick = owners();
        pick.open(None);
        assert_eq!(pick.current(), Some(Row::Option(0)), "starts on the chosen");
        typed(&mut pick, "STONE");
        assert_eq!(pick.rows(), [Row::Option(1), Row::New("STONE".into())]);
        pick.edit_query(TextInput::clear);
        typed(&mut pick, "王");
        assert_eq!(pick.rows()[0], Row::Option(2), "CJK words match");
        pick.edit_query(TextInput::clear);
        typed(&mut pick, "bobb");
        assert_eq!(pick.rows(), [Row::New("bobb".into())], "a typo is no owner");
        pick.edit_query(|q| {
            q.backspace();
        });
        assert_eq!(pick.rows(), [Row::Option(1)], "an exact value is not new");
    }

    #[test]
    fn the_cursor_stays_in_the_list_and_returns_to_the_top_on_typing() {
        let mut pick = owners();
        pick.open(Some('a'));
        // alice, wang (its value holds an a), bob's words do not; then the new "a".
        assert_eq!(
            pick.rows(),
            [Row::Option(0), Row::Option(2), Row::New("a".into())]
        );
        pick.move_cursor(5);
        assert_eq!(pick.current(), Some(Row::New("a".into())));
        pick.move_cursor(-9);
        assert_eq!(pick.current(), Some(Row::Option(0)));
        pick.move_cursor(1);
        typed(&mut pick, "l");
        assert_eq!(pick.list.as_ref().unwrap().cursor, 0);
    }

    #[test]
    fn a_picker_without_new_values_lists_only_its_options() {
        let mut pick = Pick::new(
            vec![
                PickOption::new("0", "price"),
                PickOption::new("1", "service"),
            ],
            None,
            "(choose a reason)".into(),
        );
        assert_eq!(pick.value(), None);
        pick.open(Some('x'));
        assert!(pick.rows().is_empty());
        assert_eq!(pick.current(), None);
        assert!(pick.step(true));
        assert_eq!(pick.value(), Some("0"));
        assert!(pick.step(false));
        assert_eq!(pick.label(), Some("service"));
    }

    #[test]
    fn a_confirmed_new_value_is_added_once_and_chosen() {
        let mut pick = owners();
        pick.add(PickOption::new("carol", "carol (new)"));
        assert_eq!(pick.value(), Some("carol"));
        pick.add(PickOption::new("bob", "bob again"));
        assert_eq!(pick.options.len(), 4);
        assert_eq!(pick.label(), Some("bob · Bob Stone"));
    }
}
