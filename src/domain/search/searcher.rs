//! An incremental search session for the console: typing one more character re-scores
//! only the records that could still match, not the whole book.

use super::engine;
use super::score::Query;
use super::{Hit, SearchIndex};

/// Remembers the previous query of a session and the records that matched it.
#[derive(Debug, Default)]
pub struct Searcher {
    words: Vec<(String, bool)>,
    candidates: Option<engine::Candidates>,
    /// (index instance, index generation) the candidates belong to.
    source: (u64, u64),
    hits: Vec<Hit>,
}

impl Searcher {
    pub fn new() -> Searcher {
        Searcher::default()
    }

    /// The same hits as `index.search(query, limit)`. When `query` extends the previous
    /// query on the same, unchanged index, only the previous candidates are scored.
    pub fn query(&mut self, index: &SearchIndex, query: &str, limit: usize) -> &[Hit] {
        let parsed = Query::parse(query);
        let words: Vec<(String, bool)> = parsed
            .words
            .iter()
            .map(|w| (w.text.clone(), w.typo))
            .collect();
        let source = (index.instance, index.generation);
        let within = match &self.candidates {
            Some(candidates) if self.source == source && extends(&self.words, &words) => {
                Some(candidates)
            }
            _ => None,
        };
        let outcome = engine::search(index, &parsed, limit, within, true);
        self.words = words;
        self.candidates = outcome.candidates;
        self.source = source;
        self.hits = outcome.hits;
        &self.hits
    }
}

/// Whether every record matching `new` also matches `old`: `old`'s words are `new`'s
/// first words, except that its last may be a prefix of the corresponding new word. A
/// word that becomes long enough to allow a typo matches more, so that is no extension.
fn extends(old: &[(String, bool)], new: &[(String, bool)]) -> bool {
    let Some(((last, last_typo), head)) = old.split_last() else {
        return false;
    };
    new.len() >= old.len()
        && head.iter().zip(new).all(|(a, b)| a == b)
        && new
            .get(old.len() - 1)
            .is_some_and(|(word, typo)| word.starts_with(last.as_str()) && typo == last_typo)
}
