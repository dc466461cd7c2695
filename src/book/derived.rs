//! The engine's book-level pass for one as-of date: every customer's facts, the book's
//! figures, and (lazily) the list summaries.
//!
//! Each is kept in a snapshot file (`snapshot.facts`, `snapshot.stats`,
//! `snapshot.summaries`) stamped with the journal, never in the index: a read-only command
//! then writes nothing to sled, so every later open of the index is a clean, fast one.
//! A snapshot is current only while the journal is unchanged, and it names its as-of date.

use std::path::Path;

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::engine;
use crate::domain::facts::{customer_facts, CustomerFacts};
use crate::domain::model::{Account, Cycle};
use crate::domain::rhythm::BookRhythm;
use crate::domain::stats::{settle_book, BookStats};
use crate::store::{files, Store};

use super::BookError;

const FACTS: &str = "facts";
const STATS: &str = "stats";
const SUMMARIES: &str = "summaries";
const FIRST_PAGE: &str = "first_page";

/// Lines kept in the first-page snapshot: a tall terminal's whole list.
const FIRST_PAGE_LINES: usize = 200;

/// Accounts read from the store per parallel step of the summaries pass: enough to keep
/// both threads busy, few enough that memory stays small on a large book.
const SUMMARY_CHUNK: usize = 4096;

pub(super) struct Derived {
    pub as_of: Date,
    basis: Basis,
    pub seq: u64,
    /// One per customer, in id order (the order of `Store::accounts`).
    pub facts: Vec<CustomerFacts>,
    pub stats: BookStats,
    pub summaries: Option<Vec<Summary>>,
    /// Changed in memory since the snapshots were written.
    dirty: bool,
}

/// The book list's first screen in its default order (by name), and the book's size: what
/// the console draws before it has opened the book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstPage {
    pub total: usize,
    pub lines: Vec<Summary>,
}

impl FirstPage {
    /// The first `FIRST_PAGE_LINES` of `summaries` by `Summary::by_name`, without sorting
    /// them all.
    fn of(summaries: &[Summary]) -> FirstPage {
        let mut keyed: Vec<(String, &Summary)> =
            summaries.iter().map(|s| (s.name_key(), s)).collect();
        let order = |a: &(String, &Summary), b: &(String, &Summary)| {
            a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id))
        };
        if keyed.len() > FIRST_PAGE_LINES {
            keyed.select_nth_unstable_by(FIRST_PAGE_LINES, order);
            keyed.truncate(FIRST_PAGE_LINES);
        }
        keyed.sort_unstable_by(order);
        FirstPage {
            total: summaries.len(),
            lines: keyed.into_iter().map(|(_, s)| s.clone()).collect(),
        }
    }
}

/// What a derived value was computed for: the as-of date and the configuration's
/// thresholds (a fingerprint), so an edited config.toml is never answered from a snapshot
/// made under the old thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub as_of: Date,
    config: u32,
}

/// The version of the engine's rules, part of every basis: a snapshot computed under
/// earlier rules (2: the customer's rhythm, DOMAIN.md §4 second revision) is never served.
const RULES_VERSION: u32 = 2;

impl Basis {
    pub fn new(as_of: Date, config: &Config) -> Basis {
        // Serialising a plain struct of numbers cannot fail; should it, no snapshot matches.
        let mut bytes = RULES_VERSION.to_le_bytes().to_vec();
        bytes.extend(serde_json::to_vec(config).unwrap_or_default());
        Basis {
            as_of,
            config: crc32fast::hash(&bytes),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Dated<T> {
    basis: Basis,
    value: T,
}

fn read_dated<T: DeserializeOwned>(dir: &Path, name: &str, basis: Basis) -> Option<T> {
    let dated: Dated<T> = files::read_current_snapshot_value(dir, name)?;
    (dated.basis == basis).then_some(dated.value)
}

fn write_dated<T: Serialize>(
    store: &dyn Store,
    name: &str,
    basis: Basis,
    value: &T,
) -> Result<(), BookError> {
    store.write_snapshot_value(name, &Dated { basis, value })?;
    Ok(())
}

/// Saves the list lines and, beside them, their first page.
fn write_summaries(
    store: &dyn Store,
    basis: Basis,
    summaries: &[Summary],
) -> Result<(), BookError> {
    write_dated(store, SUMMARIES, basis, &summaries)?;
    write_dated(store, FIRST_PAGE, basis, &FirstPage::of(summaries))
}

/// Writes the first page of saved lines when it is missing or of another date (lines saved
/// by an older build, or for another day); it is derived data, so a failed write only costs
/// the next start its early first frame.
fn keep_first_page(store: &dyn Store, basis: Basis, lines: &[Summary]) {
    if read_dated::<FirstPage>(store.dir(), FIRST_PAGE, basis).is_none() {
        let _ = write_dated(store, FIRST_PAGE, basis, &FirstPage::of(lines));
    }
}

impl Derived {
    /// The saved pass when it matches the date and the journal, else a fresh pass (saved).
    pub fn load_or_compute(
        store: &dyn Store,
        as_of: Date,
        config: &Config,
    ) -> Result<Self, BookError> {
        let seq = store.seq();
        let dir = store.dir();
        let basis = Basis::new(as_of, config);
        let stats = read_dated::<BookStats>(dir, STATS, basis);
        let facts = stats
            .as_ref()
            .and_then(|_| read_dated::<Vec<CustomerFacts>>(dir, FACTS, basis));
        let (facts, stats, dirty) = match (stats, facts) {
            (Some(stats), Some(facts)) => (facts, stats, false),
            _ => {
                // The book rhythm needs every own gap first: the facts are computed under
                // the default rhythm and the customers it does not fit are re-settled.
                let mut facts = Vec::with_capacity(store.customer_count());
                let rhythm = BookRhythm::default_for(config);
                for account in store.accounts() {
                    facts.push(customer_facts(&account?, as_of, config, rhythm));
                }
                let (stats, _) = settle_book(&mut facts, as_of, config);
                (facts, stats, true)
            }
        };
        let mut derived = Derived {
            as_of,
            basis,
            seq,
            facts,
            stats,
            summaries: None,
            dirty,
        };
        // Writes only a fresh pass.
        derived.save(store)?;
        Ok(derived)
    }

    /// The saved pass for whatever date it was made, if it matches the journal: loaded
    /// before a write so the write can keep it (and its lines) current instead of leaving
    /// the next command a whole pass to redo.
    pub fn load_current(store: &dyn Store, config: &Config) -> Option<Self> {
        let dir = store.dir();
        let stats: Dated<BookStats> = files::read_current_snapshot_value(dir, STATS)?;
        let basis = stats.basis;
        if basis != Basis::new(basis.as_of, config) {
            return None;
        }
        let facts = read_dated::<Vec<CustomerFacts>>(dir, FACTS, basis)?;
        let summaries = read_dated::<Vec<Summary>>(dir, SUMMARIES, basis)
            .filter(|lines| lines.len() == facts.len());
        Some(Derived {
            as_of: basis.as_of,
            basis,
            seq: store.seq(),
            facts,
            stats: stats.value,
            summaries,
            dirty: false,
        })
    }

    /// Only the list lines, when saved for this date and the journal as it is: the
    /// console's first screen needs nothing else.
    pub fn load_summaries(store: &dyn Store, basis: Basis) -> Option<Vec<Summary>> {
        let lines: Vec<Summary> = read_dated(store.dir(), SUMMARIES, basis)?;
        keep_first_page(store, basis, &lines);
        Some(lines)
    }

    /// The list's first page, when saved for this date and the journal as it is; reads one
    /// small file and opens nothing, so the console can draw before opening the book.
    pub fn load_first_page(dir: &Path, basis: Basis) -> Option<FirstPage> {
        read_dated(dir, FIRST_PAGE, basis)
    }

    /// Only the book's figures, when saved for this date and the journal as it is: all a
    /// card needs besides the customer's own history, so `crm show` reads one small file.
    pub fn load_stats(store: &dyn Store, basis: Basis) -> Option<BookStats> {
        read_dated(store.dir(), STATS, basis)
    }

    /// Writes the snapshots if this pass changed since and still matches the journal; it
    /// is derived data, so a lost write only costs a recomputation.
    pub fn save(&mut self, store: &dyn Store) -> Result<(), BookError> {
        if !self.dirty || self.seq != store.seq() {
            return Ok(());
        }
        write_dated(store, STATS, self.basis, &self.stats)?;
        write_dated(store, FACTS, self.basis, &self.facts)?;
        if let Some(summaries) = &self.summaries {
            write_summaries(store, self.basis, summaries)?;
        }
        self.dirty = false;
        Ok(())
    }

    /// The list lines: from their snapshot, else a pass over every card (saved).
    pub fn ensure_summaries(
        &mut self,
        store: &dyn Store,
        cycles: &[Cycle],
        config: &Config,
    ) -> Result<(), BookError> {
        if self.summaries.is_some() {
            return Ok(());
        }
        if !self.dirty {
            if let Some(saved) = read_dated::<Vec<Summary>>(store.dir(), SUMMARIES, self.basis) {
                if saved.len() == self.facts.len() {
                    keep_first_page(store, self.basis, &saved);
                    self.summaries = Some(saved);
                    return Ok(());
                }
            }
        }
        let summaries = self.compute_summaries(store, cycles, config)?;
        if !self.dirty && self.seq == store.seq() {
            write_summaries(store, self.basis, &summaries)?;
        }
        self.summaries = Some(summaries);
        Ok(())
    }

    fn compute_summaries(
        &self,
        store: &dyn Store,
        cycles: &[Cycle],
        config: &Config,
    ) -> Result<Vec<Summary>, BookError> {
        let mut summaries = Vec::with_capacity(self.facts.len());
        self.each_card(
            store,
            cycles,
            config,
            |_| true,
            |card| summaries.push(engine::summary(&card)),
        )?;
        Ok(summaries)
    }

    /// Calls `visit` with the card of every customer `wanted` keeps, in id order. A card
    /// costs ~55 µs, so they are computed on two threads, a chunk of accounts at a time.
    pub fn each_card(
        &self,
        store: &dyn Store,
        cycles: &[Cycle],
        config: &Config,
        wanted: impl Fn(&Account) -> bool,
        mut visit: impl FnMut(Card),
    ) -> Result<(), BookError> {
        let mut accounts = store.accounts();
        let mut facts = self.facts.iter();
        loop {
            let chunk = accounts
                .by_ref()
                .take(SUMMARY_CHUNK)
                .collect::<Result<Vec<Account>, _>>()?;
            if chunk.is_empty() {
                return Ok(());
            }
            let pairs: Vec<(&Account, &CustomerFacts)> = chunk
                .iter()
                .zip(facts.by_ref())
                .filter(|(account, _)| wanted(account))
                .collect();
            let card = |(account, facts): &(&Account, &CustomerFacts)| {
                engine::card(account, facts, &self.stats, cycles, self.as_of, config)
            };
            let (first, second) = pairs.split_at(pairs.len() / 2);
            let (a, b) = std::thread::scope(|scope| {
                let helper = scope.spawn(|| first.iter().map(card).collect::<Vec<_>>());
                let mine = second.iter().map(card).collect::<Vec<_>>();
                (helper.join(), mine)
            });
            let Ok(a) = a else {
                return Err(BookError::unavailable(
                    "computing the cards failed in a worker thread",
                ));
            };
            a.into_iter().chain(b).for_each(&mut visit);
        }
    }

    /// After a write to one customer: its facts and line are recomputed, the book's
    /// figures are recomputed from all facts (cheap), other lines keep their values, unless
    /// the write moved the book rhythm: then every customer's facts are re-settled and the
    /// lines are dropped, to be made again when next needed.
    pub fn update_customer(
        &mut self,
        account: &Account,
        cycles: &[Cycle],
        config: &Config,
        seq: u64,
    ) {
        let id = &account.customer.id;
        let facts = customer_facts(account, self.as_of, config, self.stats.rhythm);
        let position = self.facts.binary_search_by(|f| f.id.as_str().cmp(id));
        let at = match position {
            Ok(i) => {
                self.facts[i] = facts;
                i
            }
            Err(i) => {
                self.facts.insert(i, facts);
                i
            }
        };
        self.settle(config);
        let facts = &self.facts[at];
        let card = engine::card(account, facts, &self.stats, cycles, self.as_of, config);
        let summary = engine::summary(&card);
        if let Some(summaries) = self.summaries.as_mut() {
            match summaries.binary_search_by(|s| s.id.as_str().cmp(id)) {
                Ok(i) => summaries[i] = summary,
                Err(i) => summaries.insert(i, summary),
            }
        }
        self.seq = seq;
        self.dirty = true;
    }

    pub fn remove_customer(&mut self, id: &str, config: &Config, seq: u64) {
        self.facts.retain(|f| f.id != id);
        if let Some(summaries) = self.summaries.as_mut() {
            summaries.retain(|s| s.id != id);
        }
        self.settle(config);
        self.seq = seq;
        self.dirty = true;
    }

    /// The book's figures after a change to one customer's facts. A moved book rhythm can
    /// change any customer's stage, so the lines (which show stages) are then dropped.
    fn settle(&mut self, config: &Config) {
        let (stats, moved) = settle_book(&mut self.facts, self.as_of, config);
        if moved {
            self.summaries = None;
        }
        self.stats = stats;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::Book;
    use crate::demo::{demo_book, DemoOptions};

    fn basis(as_of: Date) -> Basis {
        Basis::new(as_of, &Config::default())
    }

    fn book_of(dir: &Path, customers: usize, today: Date) -> Book {
        let mut book = Book::open(dir, Config::default(), "test").unwrap();
        let options = DemoOptions {
            customers,
            seed: 7,
            today,
        };
        book.import(demo_book(&options, &mut |_| {}), false)
            .unwrap();
        book
    }

    /// The list lines one card at a time, as the engine defines them.
    fn lines_by_hand(dir: &Path, today: Date) -> Vec<Summary> {
        let (store, _) = crate::store::JournalStore::open(dir).unwrap();
        let config = Config::default();
        let cycles = store.cycles().unwrap();
        let accounts: Vec<Account> = store.accounts().map(Result::unwrap).collect();
        let mut facts: Vec<CustomerFacts> = accounts
            .iter()
            .map(|a| customer_facts(a, today, &config, BookRhythm::default_for(&config)))
            .collect();
        let (stats, _) = settle_book(&mut facts, today, &config);
        accounts
            .iter()
            .zip(&facts)
            .map(|(a, f)| engine::summary(&engine::card(a, f, &stats, &cycles, today, &config)))
            .collect()
    }

    #[test]
    fn summaries_from_two_threads_and_from_the_snapshot_equal_the_cards() {
        let tmp = tempfile::tempdir().unwrap();
        let today = jiff::civil::date(2026, 3, 2);
        // More than one chunk, and an odd count, so both halves and the chunking show.
        let customers = SUMMARY_CHUNK + 37;
        let computed = book_of(tmp.path(), customers, today)
            .summaries(today)
            .unwrap();
        assert!(tmp.path().join("snapshot.summaries").exists());
        let expected = lines_by_hand(tmp.path(), today);
        assert_eq!(computed.len(), customers);
        assert_eq!(computed, expected);
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        assert_eq!(book.summaries(today).unwrap(), expected);
        drop(book);

        // The first page is the list's first screen in its default order (by name, case
        // blind, then id), with the book's size.
        let mut by_name = expected.clone();
        by_name.sort_by(|a, b| a.name_key().cmp(&b.name_key()).then(a.id.cmp(&b.id)));
        let page = Derived::load_first_page(tmp.path(), basis(today)).unwrap();
        assert_eq!(page.total, customers);
        assert_eq!(page.lines, by_name[..FIRST_PAGE_LINES]);
        assert!(
            Derived::load_first_page(tmp.path(), basis(jiff::civil::date(2026, 3, 3))).is_none()
        );

        // Lines saved without their first page (an older build) get it on the next read.
        std::fs::remove_file(tmp.path().join("snapshot.first_page")).unwrap();
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        assert_eq!(book.summaries(today).unwrap().len(), customers);
        drop(book);
        assert_eq!(
            Derived::load_first_page(tmp.path(), basis(today)),
            Some(page)
        );
    }

    #[test]
    fn a_snapshot_of_another_date_or_journal_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let today = jiff::civil::date(2026, 3, 2);
        drop(book_of(tmp.path(), 30, today).summaries(today).unwrap());
        let (store, _) = crate::store::JournalStore::open(tmp.path()).unwrap();
        let later = jiff::civil::date(2026, 9, 1);
        assert!(Derived::load_stats(&store, Basis::new(today, &Config::default())).is_some());
        assert!(Derived::load_stats(&store, Basis::new(later, &Config::default())).is_none());
        // Nor one made under other thresholds (an edited config.toml).
        let mut edited = Config::default();
        edited.lifecycle.decline_score = 3;
        assert_ne!(Basis::new(today, &edited), basis(today));
        assert!(Derived::load_stats(&store, Basis::new(today, &edited)).is_none());
        assert!(Derived::load_current(&store, &edited).is_none());
        assert!(Derived::load_current(&store, &Config::default()).is_some());
        drop(store);
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        let user = crate::domain::model::User {
            login: "li".into(),
            name: "Li".into(),
            role: crate::domain::model::Role::Rep,
        };
        book.put_user(user).unwrap();
        drop(book);
        let (store, _) = crate::store::JournalStore::open(tmp.path()).unwrap();
        assert!(Derived::load_stats(&store, Basis::new(today, &Config::default())).is_none());
        drop(store);
        assert!(Derived::load_first_page(tmp.path(), basis(today)).is_none());
    }

    #[test]
    fn a_write_in_a_later_process_keeps_the_snapshots_current() {
        use crate::domain::model::*;
        let tmp = tempfile::tempdir().unwrap();
        let today = jiff::civil::date(2026, 3, 2);
        let before = book_of(tmp.path(), 40, today).summaries(today).unwrap();
        let id = before[3].id.clone();
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        let contact = Interaction {
            at: "2026-03-02T09:00:00Z".parse().unwrap(),
            channel: Channel::Phone,
            direction: Direction::Outbound,
            purpose: Purpose::Service,
            outcome: Outcome::Positive,
            satisfaction: None,
            signals: vec![],
            note: "checked in".into(),
            follow_up: None,
            author: "test".into(),
        };
        book.log_contact(&id, contact).unwrap();
        drop(book);
        let (store, _) = crate::store::JournalStore::open(tmp.path()).unwrap();
        assert!(Derived::load_stats(&store, Basis::new(today, &Config::default())).is_some());
        let lines: Vec<Summary> = read_dated(tmp.path(), SUMMARIES, basis(today)).unwrap();
        drop(store);
        assert_eq!(lines[3].id, id);
        assert_eq!(lines[3].last_contact, Some(today));
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        assert_eq!(book.summaries(today).unwrap(), lines);
        assert_eq!(book.find(&lines[5].name, 5)[0].id, lines[5].id);
    }

    /// A customer that crosses 3 purchase days gives the book its 30th own gap: the book
    /// rhythm moves from the default 90 days to the measured 20, and a one-time buyer 80
    /// days silent goes from growth (o = 0.89) to decline (o = 4, scores 2). The write keeps
    /// every line what a fresh pass makes.
    #[test]
    fn a_write_that_moves_the_book_rhythm_resettles_every_customer() {
        use crate::domain::card::Stage;
        use crate::domain::model::*;
        let tmp = tempfile::tempdir().unwrap();
        let today = jiff::civil::date(2026, 3, 2);
        let customer = |id: String| Customer {
            id: id.clone(),
            name: format!("Customer {id}"),
            kind: CustomerKind::Organization,
            segment: "retail".into(),
            owner: "alice".into(),
            created: jiff::civil::date(2025, 1, 1),
            tags: vec![],
            category_spend: None,
            contacts: vec![],
            note: String::new(),
            lost: None,
        };
        let order = |days_ago: i64| Order {
            date: crate::domain::days::add_days(today, -days_ago),
            amount: 100.0,
            margin: None,
        };
        let with_orders = |id: String, days_ago: &[i64]| {
            let mut account = Account::new(customer(id));
            account.orders = days_ago.iter().rev().map(|&d| order(d)).collect();
            account
        };
        let mut accounts: Vec<Account> = (0..29)
            .map(|i| with_orders(format!("c{i:02}"), &[5, 25, 45]))
            .collect();
        accounts.push(with_orders("y".into(), &[5, 25]));
        accounts.push(with_orders("z".into(), &[80]));
        let data = BookData {
            users: vec![],
            accounts,
            cycles: vec![],
        };
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        book.import(data, false).unwrap();
        let stage_of =
            |lines: &[Summary], id: &str| lines.iter().find(|s| s.id == id).map(|s| s.stage);
        let before = book.summaries(today).unwrap();
        assert_eq!(stage_of(&before, "z"), Some(Stage::Growth));
        drop(book);
        assert_eq!(before, lines_by_hand(tmp.path(), today));
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        book.add_order("y", order(65)).unwrap();
        let after = book.summaries(today).unwrap();
        assert_eq!(stage_of(&after, "z"), Some(Stage::Decline));
        drop(book);
        assert_eq!(after, lines_by_hand(tmp.path(), today));
        let (store, _) = crate::store::JournalStore::open(tmp.path()).unwrap();
        let stats = Derived::load_stats(&store, basis(today)).unwrap();
        assert_eq!(
            (
                stats.rhythm.days,
                stats.rhythm.measured,
                stats.rhythm.customers
            ),
            (20.0, true, 30)
        );
    }
}
