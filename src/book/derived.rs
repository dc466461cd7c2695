//! The engine's book-level pass for one as-of date: every customer's facts, the book's
//! figures, and (lazily) the list summaries, kept current in proportion to each change.
//!
//! They are saved as *based* snapshots (`snapshot.facts`, `snapshot.summaries`,
//! `snapshot.stats`, `snapshot.first_page`), stamped with the journal sequence they reflect
//! (`store::Base`), never in the index. A write appends only its journal record: the next
//! reader takes the saved pass as a base and applies the events after it, recomputing the
//! facts of the customers they touched, the book's figures, and the lines of exactly the
//! customers whose cards those can change (`live::affected`). The base is rewritten only
//! when the delta has grown (`REBASE_EVENTS`) or after a whole pass. A snapshot also names
//! its as-of date and the configuration it was made under (`Basis`).

use std::path::Path;

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::agenda_index::AgendaBoard;
use crate::domain::agenda_keys::AgendaKeys;
use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::engine;
use crate::domain::facts::{customer_facts, CustomerFacts};
use crate::domain::model::{Account, Cycle};
use crate::domain::rhythm::BookRhythm;
use crate::domain::running_stats::RunningStats;
use crate::domain::stats::{settle_book, BookStats};
use std::collections::BTreeSet;

use crate::store::{files, Store};

use super::live::affected::{affected, Affected};
use super::live::touched::Touched;
use super::BookError;

const FACTS: &str = "facts";
const STATS: &str = "stats";
const SUMMARIES: &str = "summaries";
const AGENDA: &str = "agenda";
const FIRST_PAGE: &str = "first_page";

/// Lines kept in the first-page snapshot: a tall terminal's whole list.
const FIRST_PAGE_LINES: usize = 200;

/// Accounts read from the store per parallel step of the summaries pass: enough to keep
/// both threads busy, few enough that memory stays small on a large book.
const SUMMARY_CHUNK: usize = 4096;

pub(super) struct Derived {
    pub as_of: Date,
    basis: Basis,
    /// The journal sequence this pass reflects.
    pub seq: u64,
    /// One per customer, in id order (the order of `Store::accounts`).
    pub facts: Vec<CustomerFacts>,
    pub stats: BookStats,
    /// One per customer, in the facts' order, when computed.
    pub summaries: Option<Vec<Summary>>,
    /// What the agenda ranks of each card, beside the lines (present with them), and
    /// their index once an agenda was asked of them.
    pub agenda: Option<AgendaBoard>,
    /// The sequence of the saved facts base this pass was brought forward from (`None`:
    /// computed whole, nothing on disk to build on).
    base: Option<u64>,
    /// The lines were made whole here (not brought forward from the saved base).
    lines_made: bool,
    /// `snapshot.stats` holds this pass's figures at `seq`.
    stats_saved: bool,
    /// `snapshot.first_page` holds this pass's first page at `seq`.
    page_saved: bool,
    /// The book's figures kept current per changed customer, made at the first change
    /// this pass takes in (a pass that takes none never pays for them).
    running: Option<RunningStats>,
}

/// Events after a base that a reader of the figures alone applies before it rewrites the
/// base (a reader of the lines rewrites it at once): a write stays O(change).
pub(super) const REBASE_EVENTS: u64 = 1024;

/// Lines made again one by one after a change of the book's figures; past this many (an
/// owner's whole book, say) the lines are made whole on two threads when next needed.
const MAX_LINES_REMADE: usize = 4096;

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
/// earlier rules (2: the customer's rhythm, DOMAIN.md §4 second revision; 3: the agenda
/// keys hold this week's follow-ups, issue 14) is never served.
const RULES_VERSION: u32 = 3;

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

/// The saved pass: the figures and every customer's facts, at one base.
#[derive(Serialize, Deserialize)]
struct Pass {
    stats: BookStats,
    facts: Vec<CustomerFacts>,
}

/// A based snapshot made for `basis`, with the sequence it reflects.
fn read_based<T: DeserializeOwned>(dir: &Path, name: &str, basis: Basis) -> Option<(u64, T)> {
    let (base, dated): (_, Dated<T>) = files::read_based_snapshot_value(dir, name)?;
    (dated.basis == basis).then_some((base.seq, dated.value))
}

/// A based snapshot made for `basis` that no event has followed yet (read without the
/// store: its events are looked at in the journal file itself).
fn read_current<T: DeserializeOwned>(dir: &Path, name: &str, basis: Basis) -> Option<T> {
    let (base, dated): (_, Dated<T>) = files::read_based_snapshot_value(dir, name)?;
    let none_after = files::events_after_base(dir, base, 0).is_some();
    (dated.basis == basis && none_after).then_some(dated.value)
}

fn write_based<T: Serialize>(
    store: &dyn Store,
    name: &str,
    basis: Basis,
    value: &T,
) -> Result<(), BookError> {
    store.write_based_snapshot_value(name, &Dated { basis, value })?;
    Ok(())
}

impl Derived {
    /// The pass for `as_of` as the journal stands: the saved base brought forward by the
    /// events after it when there is one for this date, else a whole pass.
    /// `lines`: bring the saved list lines forward too (else they stay on disk, at their
    /// base, for a later reader that wants them).
    pub fn load(
        store: &dyn Store,
        as_of: Date,
        config: &Config,
        lines: bool,
    ) -> Result<Self, BookError> {
        let basis = Basis::new(as_of, config);
        if let Some(derived) = Self::brought_forward(store, basis, config, lines)? {
            return Ok(derived);
        }
        Self::whole(store, basis, config)
    }

    /// Every customer's facts from the store, then the book pass.
    fn whole(store: &dyn Store, basis: Basis, config: &Config) -> Result<Self, BookError> {
        // The book rhythm needs every own gap first: the facts are computed under the
        // default rhythm and the customers it does not fit are re-settled.
        let mut facts = Vec::with_capacity(store.customer_count());
        let rhythm = BookRhythm::default_for(config);
        for account in store.accounts() {
            facts.push(customer_facts(&account?, basis.as_of, config, rhythm));
        }
        let (stats, _) = settle_book(&mut facts, basis.as_of, config);
        Ok(Derived {
            as_of: basis.as_of,
            basis,
            seq: store.seq(),
            facts,
            stats,
            summaries: None,
            agenda: None,
            base: None,
            lines_made: false,
            stats_saved: false,
            page_saved: false,
            running: None,
        })
    }

    /// The saved pass with its saved lines and agenda keys, brought forward, when both are
    /// on disk for this date: what a pass held without its lines (read for a card) takes
    /// instead of making every card again.
    pub fn with_saved_lines(
        store: &dyn Store,
        as_of: Date,
        config: &Config,
    ) -> Result<Option<Self>, BookError> {
        let basis = Basis::new(as_of, config);
        let derived = Self::brought_forward(store, basis, config, true)?;
        Ok(derived.filter(|d| d.summaries.is_some()))
    }

    /// The saved base for `basis` with the events after it applied, when there is one and
    /// the events touch few enough customers that applying them beats a whole pass.
    fn brought_forward(
        store: &dyn Store,
        basis: Basis,
        config: &Config,
        lines: bool,
    ) -> Result<Option<Self>, BookError> {
        let dir = store.dir();
        let Some((seq, pass)) = read_based::<Pass>(dir, FACTS, basis) else {
            return Ok(None);
        };
        if seq > store.seq() {
            return Ok(None);
        }
        let summaries = lines
            .then(|| read_based::<Vec<Summary>>(dir, SUMMARIES, basis))
            .flatten()
            .filter(|(at, lines)| *at == seq && lines.len() == pass.facts.len())
            .map(|(_, lines)| lines);
        let agenda = summaries
            .as_ref()
            .and_then(|_| read_based::<Vec<AgendaKeys>>(dir, AGENDA, basis))
            .filter(|(at, keys)| *at == seq && keys.len() == pass.facts.len())
            .map(|(_, keys)| AgendaBoard::new(keys));
        let summaries = summaries.filter(|_| agenda.is_some());
        let mut derived = Derived {
            as_of: basis.as_of,
            basis,
            seq,
            facts: pass.facts,
            stats: pass.stats,
            summaries,
            agenda,
            base: Some(seq),
            lines_made: false,
            stats_saved: false,
            page_saved: false,
            running: None,
        };
        if !derived.catch_up(store, config)? {
            return Ok(None);
        }
        Ok(Some(derived))
    }

    /// Applies the journal's events after `self.seq`. `false` when they touch so many
    /// customers (an import) that a whole pass is the cheaper way.
    pub fn catch_up(&mut self, store: &dyn Store, config: &Config) -> Result<bool, BookError> {
        let now = store.seq();
        if now == self.seq {
            return Ok(true);
        }
        let events = store.events_after(self.seq)?;
        let touched = Touched::of(&events);
        if touched.customers.len() > self.facts.len() / 8 + 64 {
            return Ok(false);
        }
        let cycles = store.cycles()?;
        let mut accounts = Vec::with_capacity(touched.customers.len());
        for id in &touched.customers {
            accounts.push((id.clone(), store.account(id)?));
        }
        self.apply(store, &accounts, touched.cycles, &cycles, config);
        self.seq = now;
        Ok(true)
    }

    /// The saved figures for `basis` when no event followed them: all a card needs
    /// besides the customer's own history, so `crm show` reads one small file.
    pub fn load_stats(dir: &Path, basis: Basis) -> Option<BookStats> {
        read_current(dir, STATS, basis)
    }

    /// The saved lines for `basis` when no event followed them; writes their first page
    /// when it is missing (lines saved by an older build). Derived data: a failed write
    /// only costs the next start its early first frame.
    pub fn load_summaries(store: &dyn Store, basis: Basis) -> Option<Vec<Summary>> {
        let lines: Vec<Summary> = read_current(store.dir(), SUMMARIES, basis)?;
        if Self::load_first_page(store.dir(), basis).is_none() {
            let _ = write_based(store, FIRST_PAGE, basis, &FirstPage::of(&lines));
        }
        Some(lines)
    }

    /// The saved first page made under `config` for `as_of` or an earlier day, and, when
    /// it is not current (an earlier day, or events follow it), the day its figures are of:
    /// what the console draws, marked as such, while it brings the book up to date.
    pub fn load_first_page_or_older(
        dir: &Path,
        as_of: Date,
        config: &Config,
    ) -> Option<(FirstPage, Option<Date>)> {
        let (base, dated): (_, Dated<FirstPage>) =
            files::read_based_snapshot_value(dir, FIRST_PAGE)?;
        let made_for = dated.basis.as_of;
        if dated.basis != Basis::new(made_for, config) || made_for > as_of {
            return None;
        }
        let current = made_for == as_of && files::events_after_base(dir, base, 0).is_some();
        Some((dated.value, (!current).then_some(made_for)))
    }

    /// The saved agenda keys for `basis` when no event followed them.
    pub fn load_agenda(dir: &Path, basis: Basis) -> Option<Vec<AgendaKeys>> {
        read_current(dir, AGENDA, basis)
    }

    /// The list's first page for `basis` when no event followed it; reads one small file
    /// (and the journal past its base) and opens nothing, so the console can draw before
    /// opening the book.
    pub fn load_first_page(dir: &Path, basis: Basis) -> Option<FirstPage> {
        read_current(dir, FIRST_PAGE, basis)
    }

    /// Writes what the disk lacks: the whole pass (facts, and the lines when made) when it
    /// was computed here or has drifted `REBASE_EVENTS` from its base; the small figures
    /// and first page whenever they are newer than the saved ones. Derived data: a lost
    /// write only costs a later reader some work.
    pub fn save(&mut self, store: &dyn Store) -> Result<(), BookError> {
        if self.seq != store.seq() {
            return Ok(());
        }
        // Rewriting the facts without the lines would leave the saved lines without a
        // base: done when the lines are here (then at once, so the next list or agenda
        // reads them as they are instead of bringing them forward again), or when the
        // drift has grown large. A reader of the figures alone (`crm show`) leaves the
        // base and saves the small figures.
        let drift = self.base.map(|base| self.seq - base);
        let rebase = match drift {
            None => true,
            Some(drift) => (drift > 0 && self.summaries.is_some()) || drift > REBASE_EVENTS,
        };
        if rebase || self.lines_made {
            let pass = Pass {
                stats: self.stats.clone(),
                facts: std::mem::take(&mut self.facts),
            };
            let written = write_based(store, FACTS, self.basis, &pass);
            self.facts = pass.facts;
            written?;
            if let (Some(lines), Some(keys)) = (&self.summaries, &self.agenda) {
                write_based(store, SUMMARIES, self.basis, lines)?;
                write_based(store, AGENDA, self.basis, &keys.keys())?;
            }
            self.base = Some(self.seq);
            self.lines_made = false;
        }
        if !self.stats_saved {
            write_based(store, STATS, self.basis, &self.stats)?;
            self.stats_saved = true;
        }
        if !self.page_saved {
            if let Some(lines) = &self.summaries {
                write_based(store, FIRST_PAGE, self.basis, &FirstPage::of(lines))?;
                self.page_saved = true;
            }
        }
        Ok(())
    }

    /// The list lines: brought forward with the pass, else a pass over every card.
    pub fn ensure_summaries(
        &mut self,
        store: &dyn Store,
        cycles: &[Cycle],
        config: &Config,
    ) -> Result<(), BookError> {
        if self.summaries.is_some() && self.agenda.is_some() {
            return Ok(());
        }
        let (summaries, agenda) = self.compute_summaries(store, cycles, config)?;
        self.summaries = Some(summaries);
        self.agenda = Some(AgendaBoard::new(agenda));
        self.lines_made = true;
        self.page_saved = false;
        Ok(())
    }

    fn compute_summaries(
        &self,
        store: &dyn Store,
        cycles: &[Cycle],
        config: &Config,
    ) -> Result<(Vec<Summary>, Vec<AgendaKeys>), BookError> {
        let mut summaries = Vec::with_capacity(self.facts.len());
        let mut agenda = Vec::with_capacity(self.facts.len());
        self.each_card(
            store,
            cycles,
            config,
            |_| true,
            |card| {
                summaries.push(engine::summary(&card));
                agenda.push(AgendaKeys::of(&card));
            },
        )?;
        Ok((summaries, agenda))
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

    /// After a write in this process: the customer's account as it is now (`None` when
    /// removed).
    pub fn update_customer(
        &mut self,
        id: &str,
        account: Option<Account>,
        cycles: &[Cycle],
        config: &Config,
        store: &dyn Store,
        seq: u64,
    ) {
        self.apply(store, &[(id.to_string(), account)], false, cycles, config);
        self.seq = seq;
    }

    /// After a PDCA cycle was stored: cards may name it, so the lines are made again when
    /// next needed (the facts and figures do not read cycles).
    pub fn cycles_changed(&mut self, seq: u64) {
        self.summaries = None;
        self.agenda = None;
        self.seq = seq;
        self.stats_saved = false;
    }

    /// Brings the pass forward over changed accounts: their facts are recomputed, the
    /// book's figures settled again, and the lines of exactly the customers whose cards
    /// can differ made again (all of them when the rhythm or the retention rate moved).
    fn apply(
        &mut self,
        store: &dyn Store,
        accounts: &[(String, Option<Account>)],
        cycles_changed: bool,
        cycles: &[Cycle],
        config: &Config,
    ) {
        let keys = self.agenda.take();
        let mut lines = self.summaries.take().zip(keys).filter(|_| !cycles_changed);
        let facts = &mut self.facts;
        let running = self
            .running
            .get_or_insert_with(|| RunningStats::of(facts, config));
        let rhythm = self.stats.rhythm;
        for (id, account) in accounts {
            let at = facts.binary_search_by(|f| f.id.as_str().cmp(id));
            match (account, at) {
                (Some(account), Ok(i)) => {
                    let new = customer_facts(account, self.as_of, config, rhythm);
                    running.remove(i, &facts[i], config);
                    running.add(i, &new, config);
                    facts[i] = new;
                }
                (Some(account), Err(i)) => {
                    let new = customer_facts(account, self.as_of, config, rhythm);
                    running.inserted_at(i);
                    running.add(i, &new, config);
                    facts.insert(i, new);
                }
                (None, Ok(i)) => {
                    running.remove(i, &facts[i], config);
                    running.removed_at(i);
                    facts.remove(i);
                    if let Some((lines, keys)) = lines.as_mut() {
                        if lines.get(i).is_some_and(|line| line.id == *id) {
                            lines.remove(i);
                            keys.remove(i);
                        }
                    }
                }
                (None, Err(_)) => {}
            }
        }
        let old = self.stats.clone();
        self.stats = running.settle(facts, rhythm, self.as_of, config);
        self.stats_saved = false;
        self.page_saved = false;
        let Some((mut lines, mut keys)) = lines else {
            return;
        };
        let mut remake: BTreeSet<usize> = match affected(&old, &self.stats, running, facts, config)
        {
            Affected::All => return,
            Affected::Some(reached) => reached,
        };
        if remake.len() > MAX_LINES_REMADE {
            return;
        }
        // Changed customers: their lines are made again; a new one is inserted in place.
        let mut changed: Vec<(usize, &Account)> = Vec::new();
        for (id, account) in accounts {
            let Some(account) = account else { continue };
            let Ok(i) = self.facts.binary_search_by(|f| f.id.as_str().cmp(id)) else {
                continue;
            };
            changed.push((i, account));
            remake.remove(&i);
        }
        let card = |account: &Account, i: usize| {
            let card = engine::card(
                account,
                &self.facts[i],
                &self.stats,
                cycles,
                self.as_of,
                config,
            );
            (engine::summary(&card), AgendaKeys::of(&card))
        };
        for (i, account) in changed {
            let (line, key) = card(account, i);
            match lines.binary_search_by(|l| l.id.cmp(&line.id)) {
                Ok(at) => {
                    lines[at] = line;
                    keys.set(at, key);
                }
                Err(at) => {
                    lines.insert(at, line);
                    keys.insert(at, key);
                }
            }
        }
        if lines.len() != self.facts.len() || keys.len() != lines.len() {
            return;
        }
        for i in remake {
            let Ok(Some(account)) = store.account(&self.facts[i].id) else {
                // Unreadable now: the lines are made whole when next needed.
                return;
            };
            let (line, key) = card(&account, i);
            lines[i] = line;
            keys.set(i, key);
        }
        self.summaries = Some(lines);
        self.agenda = Some(keys);
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
        let current = Derived::load_first_page_or_older(tmp.path(), today, &Config::default());
        assert_eq!(current, Some((page.clone(), None)));
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
        assert!(Derived::load_stats(tmp.path(), Basis::new(today, &Config::default())).is_some());
        assert!(Derived::load_stats(tmp.path(), Basis::new(later, &Config::default())).is_none());
        // Nor one made under other thresholds (an edited config.toml).
        let mut edited = Config::default();
        edited.lifecycle.decline_score = 3;
        assert_ne!(Basis::new(today, &edited), basis(today));
        assert!(Derived::load_stats(tmp.path(), Basis::new(today, &edited)).is_none());
        let edited_basis = Basis::new(today, &edited);
        assert!(
            Derived::brought_forward(&store, edited_basis, &edited, true)
                .unwrap()
                .is_none()
        );
        let same = Derived::brought_forward(&store, basis(today), &Config::default(), true);
        assert!(same.unwrap().is_some_and(|d| d.summaries.is_some()));
        drop(store);
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        let user = crate::domain::model::User {
            login: "li".into(),
            name: "Li".into(),
            role: crate::domain::model::Role::Rep,
            team: None,
        };
        book.put_user(user).unwrap();
        drop(book);
        // An event after the saved figures: they are brought forward, not served as they are.
        assert!(Derived::load_stats(tmp.path(), Basis::new(today, &Config::default())).is_none());
        assert!(Derived::load_first_page(tmp.path(), basis(today)).is_none());
        // The console may still draw that page, marked with the day of its figures; and a
        // page of an earlier day on a later one; never one of a later day.
        let config = Config::default();
        let older = |day| Derived::load_first_page_or_older(tmp.path(), day, &config);
        assert_eq!(older(today).map(|(_, stale)| stale), Some(Some(today)));
        assert_eq!(older(later).map(|(_, stale)| stale), Some(Some(today)));
        let earlier = jiff::civil::date(2026, 3, 1);
        assert!(older(earlier).is_none());
    }

    #[test]
    fn a_write_in_a_later_process_writes_no_snapshot_and_its_reader_brings_the_pass_forward() {
        use crate::domain::model::*;
        let tmp = tempfile::tempdir().unwrap();
        let today = jiff::civil::date(2026, 3, 2);
        let before = book_of(tmp.path(), 40, today).summaries(today).unwrap();
        let id = before[3].id.clone();
        let saved = |name: &str| std::fs::read(tmp.path().join(format!("snapshot.{name}")));
        let facts_before = saved("facts").unwrap();
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
        // The write left the saved pass alone: it is the base its next reader builds on.
        assert_eq!(saved("facts").unwrap(), facts_before);
        assert!(Derived::load_stats(tmp.path(), basis(today)).is_none());
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        let lines = book.summaries(today).unwrap();
        drop(book);
        assert_eq!(lines[3].id, id);
        assert_eq!(lines[3].last_contact, Some(today));
        assert_eq!(lines, lines_by_hand(tmp.path(), today));
        // The reader saved the small figures for the journal as it is now.
        assert!(Derived::load_stats(tmp.path(), basis(today)).is_some());
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        assert_eq!(book.summaries(today).unwrap(), lines);
        assert_eq!(book.find(&lines[5].name, 5)[0].id, lines[5].id);
    }

    /// A console that logs a contact from the agenda reads the customer's card after it (a
    /// pass without lines), then the agenda: the saved lines and keys are brought forward,
    /// not every card made again (14 s instead of ~1 s at 100k on a loaded machine).
    #[test]
    fn a_pass_held_for_a_card_takes_the_saved_lines_when_the_agenda_wants_them() {
        use crate::domain::model::*;
        let tmp = tempfile::tempdir().unwrap();
        let today = jiff::civil::date(2026, 3, 2);
        let lines = book_of(tmp.path(), 40, today).summaries(today).unwrap();
        let id = lines[7].id.clone();
        let mut book = Book::open(tmp.path(), Config::default(), "test").unwrap();
        let contact = Interaction {
            at: "2026-03-02T09:00:00Z".parse().unwrap(),
            channel: Channel::Phone,
            direction: Direction::Inbound,
            purpose: Purpose::Service,
            outcome: Outcome::Positive,
            satisfaction: None,
            signals: vec![],
            note: "called in".into(),
            follow_up: Some(jiff::civil::date(2026, 3, 4)),
            author: "test".into(),
        };
        book.log_contact(&id, contact).unwrap();
        book.card(&id, today).unwrap();
        assert!(book.derived.as_ref().is_some_and(|d| d.summaries.is_none()));
        let agenda = book.agenda(today, None).unwrap();
        let derived = book.derived.as_ref().unwrap();
        assert!(
            !derived.lines_made,
            "the lines were made again, not brought forward"
        );
        assert!(agenda.this_week.iter().any(|f| f.customer == id));
        let now = book.summaries(today).unwrap();
        drop(book);
        assert_eq!(now, lines_by_hand(tmp.path(), today));
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
        let stats = Derived::load_stats(tmp.path(), basis(today)).unwrap();
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
