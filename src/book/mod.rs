//! The application service: the one API every front end (CLI, console, team server) uses.
//!
//! Owns the store, the in-memory search index and the engine's book-level figures for the
//! as-of date in use; computes cards with the pure domain functions. Plain data in and out.

pub mod access;
mod agenda;
pub mod api;
pub mod audit;
pub mod check;
mod derived;
pub mod error;
pub mod live;
pub mod pdca;
pub mod remote;
mod searching;
mod shelf;
pub mod sync;
pub mod transfer;
mod validate;
mod wire_said;

use std::cell::{Cell, OnceCell};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::Timestamp;

use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::engine;
use crate::domain::model::{
    Account, Bond, BookData, ContactCorrection, Customer, CustomerId, Cycle, Interaction, Lost,
    Order, Task, TaskId, TaskOrigin, User,
};
use crate::domain::portfolio::{portfolio, queue, Portfolio, QueueEntry, QueueKind};
use crate::domain::search::{Hit, SearchIndex};
use crate::domain::stats::BookStats;
use crate::domain::text::Text;
use crate::store::{Change, JournalStore, PgStore, Store};

pub use crate::store::{replace_private_file, replace_private_file_with, OpenReport};
pub use api::{BookApi, ExportRecords};
pub use derived::FirstPage;
use derived::{Basis, Derived};
pub use error::{BookError, Missing};
pub use shelf::Shelf;

/// What an import did, for the user's confirmation line and `crm import --json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub customers: usize,
    /// The imported customers' ids, in the file's order.
    pub ids: Vec<CustomerId>,
    pub interactions: usize,
    pub orders: usize,
    pub cycles: usize,
}

/// What logging a contact did, for the confirmation line and `crm log --json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogReceipt {
    pub customer: CustomerId,
    pub at: Timestamp,
    /// The follow-up task the contact opened (`--follow-up`).
    pub follow_up_task: Option<TaskId>,
    /// The customer's earlier open follow-ups, closed by this contact.
    pub closed_tasks: Vec<TaskId>,
}

pub struct Book {
    store: Box<dyn Store>,
    dir: PathBuf,
    config: Config,
    actor: String,
    /// Read from its snapshot on first use when it was current at open.
    index: OnceCell<SearchIndex>,
    derived: Option<Derived>,
    /// The saved agenda keys, indexed, while no pass is held in memory (`agenda.rs`).
    saved_agenda: agenda::Held,
    /// The search snapshot on disk no longer matches the journal.
    snapshot_stale: Cell<bool>,
    open_report: OpenReport,
    /// The audit trail, once asked for (`audit.rs`).
    trail: Option<audit::Trail>,
}

impl Book {
    /// Opens (or creates) the book in `dir`. `actor` is the login recorded on every change.
    pub fn open(dir: &Path, config: Config, actor: &str) -> Result<Book, BookError> {
        Self::open_with_progress(dir, config, actor, &mut |_, _| {})
    }

    /// As `open`, reporting progress while a damaged index is rebuilt from the journal.
    pub fn open_with_progress(
        dir: &Path,
        config: Config,
        actor: &str,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Book, BookError> {
        let (store, open_report) = JournalStore::open_with_progress(dir, progress)?;
        Self::with_store(Box::new(store), open_report, config, actor)
    }

    /// Opens the book kept in the PostgreSQL database at `url` (creating its schema when
    /// new). `dir` is this machine's place for the book's local files: they go in
    /// `dir/postgres`, apart from a local book that `dir` may also hold.
    pub fn open_postgres(
        url: &str,
        dir: &Path,
        config: Config,
        actor: &str,
    ) -> Result<Book, BookError> {
        let store = PgStore::open(url, &dir.join("postgres"))?;
        Self::with_store(Box::new(store), OpenReport::default(), config, actor)
    }

    /// The book over any store (the journal+sled one, or another backend): the store's
    /// directory keeps the book's local files (search and figure snapshots).
    pub fn with_store(
        store: Box<dyn Store>,
        open_report: OpenReport,
        config: Config,
        actor: &str,
    ) -> Result<Book, BookError> {
        let dir = store.dir().to_path_buf();
        let built = searching::open_index(&*store, &dir)?;
        let snapshot_stale = Cell::new(built.is_some());
        let index = built.map(OnceCell::from).unwrap_or_default();
        Ok(Book {
            store,
            dir,
            config,
            actor: actor.to_string(),
            index,
            derived: None,
            saved_agenda: agenda::Held::default(),
            snapshot_stale,
            open_report,
            trail: None,
        })
    }

    /// What opening had to repair (a cut journal tail, a rebuilt index), for a notice.
    pub fn open_report(&self) -> &OpenReport {
        &self.open_report
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The sequence number of the book's last change (0 for a new book).
    pub fn seq(&self) -> u64 {
        self.store.seq()
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    pub fn customer_count(&self) -> usize {
        self.index().len()
    }

    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    /// The search index, read from its snapshot on first use.
    fn index(&self) -> &SearchIndex {
        self.index.get_or_init(|| self.load_index())
    }

    /// The snapshot was current at open; should it have become unreadable since, the
    /// index is rebuilt from the profiles (and should even that fail, search finds nothing
    /// rather than stopping the book).
    fn load_index(&self) -> SearchIndex {
        if let Some((index, behind)) = searching::read_current_index(&self.dir) {
            if behind > searching::REBASE_EVENTS {
                self.snapshot_stale.set(true);
            }
            return index;
        }
        self.snapshot_stale.set(true);
        searching::build(&*self.store).unwrap_or_else(|_| SearchIndex::new())
    }

    fn upsert_index(&mut self, customer: &Customer) {
        let mut index = match std::mem::take(&mut self.index).into_inner() {
            Some(index) => index,
            None => self.load_index(),
        };
        index.upsert(customer);
        self.index = OnceCell::from(index);
    }

    // ---- lookup -------------------------------------------------------------------------

    pub fn find(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.index().search(query, limit)
    }

    pub fn search_index(&self) -> &SearchIndex {
        self.index()
    }

    /// An id, or a query that matches exactly one customer.
    pub fn resolve(&self, id_or_query: &str) -> Result<CustomerId, BookError> {
        if self.store.contains(id_or_query)? {
            return Ok(id_or_query.to_string());
        }
        searching::resolve(&*self.store, self.index(), id_or_query)
    }

    pub fn account(&self, id: &str) -> Result<Account, BookError> {
        self.store
            .account(id)?
            .ok_or_else(|| BookError::customer_not_found(id))
    }

    pub fn customer(&self, id: &str) -> Result<Customer, BookError> {
        self.store
            .customer(id)?
            .ok_or_else(|| BookError::customer_not_found(id))
    }

    pub fn users(&self) -> Result<Vec<User>, BookError> {
        Ok(self.store.users()?)
    }

    pub fn cycles(&self) -> Result<Vec<Cycle>, BookError> {
        Ok(self.store.cycles()?)
    }

    // ---- the engine ---------------------------------------------------------------------

    /// The customer card as of a date.
    pub fn card(&mut self, id: &str, as_of: Date) -> Result<Card, BookError> {
        let account = self.account(id)?;
        let cycles = self.store.cycles()?;
        let stats = self.stats(as_of)?;
        let facts =
            crate::domain::facts::customer_facts(&account, as_of, &self.config, stats.rhythm);
        let mut card = engine::card(&account, &facts, &stats, &cycles, as_of, &self.config);
        card.corrections = self.store.contact_corrections(id)?;
        if let Some(clocks) = self.store.profile_clocks(id)? {
            card.changed_on_two_devices = self.unlooked_conflicts(&clocks, id)?;
            card.lost_but_contacted =
                clocks.lost_but_contacted(&account.customer, account.interactions.len());
        }
        Ok(card)
    }

    /// One line per customer, in id order.
    pub fn summaries(&mut self, as_of: Date) -> Result<Vec<Summary>, BookError> {
        let seq = self.store.seq();
        let in_memory = self
            .derived
            .as_ref()
            .is_some_and(|d| d.as_of == as_of && d.seq == seq);
        if !in_memory {
            if let Some(lines) =
                Derived::load_summaries(&*self.store, Basis::new(as_of, &self.config))
            {
                return Ok(lines);
            }
        }
        self.ensure_summaries(as_of)?;
        Ok(self
            .derived
            .as_ref()
            .and_then(|d| d.summaries.clone())
            .unwrap_or_default())
    }

    pub fn portfolio(
        &mut self,
        as_of: Date,
        capacity_hours: Option<f64>,
    ) -> Result<Portfolio, BookError> {
        let hours = capacity_hours.unwrap_or(self.config.capacity.default_capacity_hours);
        let config = self.config.clone();
        let derived = self.derived(as_of, false)?;
        Ok(portfolio(
            &derived.facts,
            &derived.stats,
            as_of,
            &config,
            hours,
        ))
    }

    /// As `portfolio`, over the customers whose owner `keep` lets through (a session's
    /// reach). The book's norms (its contact rhythm, the tiers' cut-offs) stay the whole
    /// book's: they are how the book judges each customer, not figures of other owners.
    pub fn portfolio_within(
        &mut self,
        as_of: Date,
        capacity_hours: Option<f64>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Portfolio, BookError> {
        let hours = capacity_hours.unwrap_or(self.config.capacity.default_capacity_hours);
        let config = self.config.clone();
        let derived = self.derived(as_of, false)?;
        let facts: Vec<_> = derived
            .facts
            .iter()
            .filter(|f| keep(&f.owner))
            .cloned()
            .collect();
        Ok(portfolio(&facts, &derived.stats, as_of, &config, hours))
    }

    /// Everyone in one CRM queue whose owner `keep` lets through, most valuable first,
    /// judged by the whole book's norms as `portfolio_within` judges them.
    pub fn queue_within(
        &mut self,
        as_of: Date,
        kind: QueueKind,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<QueueEntry>, BookError> {
        let config = self.config.clone();
        let derived = self.derived(as_of, false)?;
        let facts = derived.facts.iter().filter(|f| keep(&f.owner));
        Ok(queue(facts, &derived.stats, &config, kind))
    }

    /// The book's figures for a date: from the pass in memory, else the cached figures,
    /// else a full pass.
    fn stats(&mut self, as_of: Date) -> Result<BookStats, BookError> {
        let seq = self.store.seq();
        if let Some(d) = self
            .derived
            .as_ref()
            .filter(|d| d.as_of == as_of && d.seq == seq)
        {
            return Ok(d.stats.clone());
        }
        if let Some(stats) = Derived::load_stats(&self.dir, Basis::new(as_of, &self.config)) {
            return Ok(stats);
        }
        Ok(self.derived(as_of, false)?.stats.clone())
    }

    /// The pass for `as_of` as the journal stands: the one in memory brought forward by
    /// the events since, else the saved one brought forward, else a whole pass. `lines`:
    /// the list lines are wanted (brought forward from disk with the pass).
    fn derived(&mut self, as_of: Date, lines: bool) -> Result<&Derived, BookError> {
        let mut current = false;
        if let Some(derived) = self.derived.as_mut().filter(|d| d.as_of == as_of) {
            current = derived.catch_up(&*self.store, &self.config)?;
        }
        if !current {
            self.derived = Some(Derived::load(&*self.store, as_of, &self.config, lines)?);
        }
        self.derived.as_ref().ok_or_else(|| {
            BookError::unavailable("the book's figures are not available")
                .with(Text::new("err-no-figures"))
        })
    }

    fn ensure_summaries(&mut self, as_of: Date) -> Result<(), BookError> {
        self.derived(as_of, true)?;
        // Held without its lines (a card was read first): the saved lines brought forward
        // cost a read, making them cost every card of the book.
        if self.derived.as_ref().is_some_and(|d| d.summaries.is_none()) {
            if let Some(with_lines) = Derived::with_saved_lines(&*self.store, as_of, &self.config)?
            {
                self.derived = Some(with_lines);
            }
        }
        let config = self.config.clone();
        let cycles = self.store.cycles()?;
        if let Some(derived) = self.derived.as_mut() {
            derived.ensure_summaries(&*self.store, &cycles, &config)?;
        }
        Ok(())
    }

    /// Takes in the changes other processes committed to a store they share with this
    /// one (several servers on one PostgreSQL database): the search index gets their
    /// profiles; the figures follow the store's sequence on their next use. A serving
    /// process calls it before each request. Returns the customers they changed (`None`:
    /// nothing new).
    pub fn catch_up_shared(&mut self) -> Result<Option<Vec<CustomerId>>, BookError> {
        let events = self.store.refresh()?;
        if events.is_empty() {
            return Ok(None);
        }
        let touched = live::touched::Touched::of(&events).customers;
        // In event order: the last profile of a customer is the one that stays.
        for customer in live::touched::profiles(&events) {
            self.upsert_index(customer);
        }
        self.snapshot_stale.set(true);
        Ok(Some(touched.into_iter().collect()))
    }

    /// See `Store::on_foreign_change`.
    pub fn on_foreign_change(&self, wake: Box<dyn Fn() + Send + Sync>) {
        self.store.on_foreign_change(wake);
    }

    // ---- writes: each is one journal event, durable before it returns ------------------

    fn apply(&mut self, change: Change) -> Result<u64, BookError> {
        // Only the journal record (and the index) is written: the saved passes and the
        // search index stay usable as bases, and their next reader applies this event
        // (`derived.rs`, `searching.rs`). A pass held in memory is brought forward by
        // `refresh`.
        let (before, at) = (self.store.seq(), Timestamp::now());
        // The audit trail's entry is made before the store takes the change (so an import
        // is not copied for it) and kept only once the change is durable.
        let entry = self.trail_entry(before, at, &change);
        let seq = self.store.apply(&self.actor, at, change)?;
        if let Some(entry) = entry {
            self.trail_push(before, seq, entry);
        }
        Ok(seq)
    }

    /// Recomputes one customer's figures after a write, keeping the rest of the pass.
    fn refresh(&mut self, id: &str) -> Result<(), BookError> {
        let seq = self.store.seq();
        let cycles = self.store.cycles()?;
        let account = self.store.account(id)?;
        if let Some(derived) = self.derived.as_mut().filter(|d| d.seq + 1 == seq) {
            derived.update_customer(id, account, &cycles, &self.config, &*self.store, seq);
        }
        Ok(())
    }

    /// Logs a contact. A follow-up date opens a task; the contact closes the customer's
    /// earlier open follow-ups (the contact is the follow-up).
    pub fn log_contact(
        &mut self,
        id: &str,
        interaction: Interaction,
    ) -> Result<LogReceipt, BookError> {
        validate::interaction(&interaction)?;
        let account = self.account(id)?;
        let close_tasks: Vec<TaskId> = account
            .tasks
            .iter()
            .filter(|t| t.origin == TaskOrigin::FollowUp && t.done.is_none())
            .map(|t| t.id)
            .collect();
        let new_task = match interaction.follow_up {
            Some(due) => Some(Task {
                id: self.store.next_task_id(),
                due,
                text: crate::domain::follow_up::follow_up_text(&interaction.note),
                origin: TaskOrigin::FollowUp,
                done: None,
            }),
            None => None,
        };
        let receipt = LogReceipt {
            customer: id.to_string(),
            at: interaction.at,
            follow_up_task: new_task.as_ref().map(|t| t.id),
            closed_tasks: close_tasks.clone(),
        };
        self.apply(Change::LogContact {
            customer: id.to_string(),
            interaction,
            new_task,
            close_tasks,
        })?;
        self.refresh(id)?;
        Ok(receipt)
    }

    /// Takes back a contact this user logged (the console's undo): a reverse event
    /// (`Change::RetractContact`), so the journal keeps both the log and its retraction.
    /// Refused when the contact is not there or was logged by someone else.
    pub fn retract_contact(&mut self, receipt: &LogReceipt) -> Result<(), BookError> {
        let account = self.account(&receipt.customer)?;
        let interaction = account
            .interactions
            .iter()
            .rev()
            .find(|i| i.at == receipt.at && i.author == self.actor)
            .cloned()
            .ok_or_else(|| {
                BookError::refused(format!(
                    "no contact of {} logged by {} at {} to take back",
                    receipt.customer, self.actor, receipt.at
                ))
                .with(
                    Text::new("err-nothing-to-retract")
                        .arg("customer", &receipt.customer)
                        .arg("at", receipt.at.to_string()),
                )
            })?;
        self.apply(Change::RetractContact {
            customer: receipt.customer.clone(),
            interaction,
            drop_task: receipt.follow_up_task,
            reopen_tasks: receipt.closed_tasks.clone(),
        })?;
        self.refresh(&receipt.customer)?;
        Ok(())
    }

    /// Corrects a logged contact, keeping the old version (DOMAIN.md §1): `previous` is the
    /// contact as the user read it, `corrected` what it should say. The contact keeps its
    /// time and author; the correction is a new event (`Change::CorrectContact`) made by
    /// this book's actor, so the journal, the audit trail and the card show both versions.
    /// The follow-up the old version opened moves to the new date or goes
    /// (`domain::correction::follow_up_edit`). Refused when the contact is no longer as
    /// read (changed or taken back meanwhile) or nothing would change.
    pub fn correct_contact(
        &mut self,
        id: &str,
        previous: &Interaction,
        mut corrected: Interaction,
    ) -> Result<(), BookError> {
        validate::interaction(&corrected)?;
        let account = self.account(id)?;
        if !account.interactions.iter().any(|i| i == previous) {
            return Err(BookError::refused(format!(
                "the contact of {id} at {} is not as it was read: it was changed or taken back meanwhile",
                previous.at
            ))
            .with(
                Text::new("err-correct-stale")
                    .arg("customer", id)
                    .arg("at", previous.at.to_string()),
            ));
        }
        corrected.at = previous.at;
        corrected.author = previous.author.clone();
        if corrected == *previous {
            return Err(BookError::refused(format!(
                "nothing to correct: the contact of {id} at {} already says that",
                previous.at
            ))
            .with(Text::new("err-correct-nothing").arg("customer", id)));
        }
        let edit = crate::domain::correction::follow_up_edit(
            &account.tasks,
            previous,
            &corrected,
            self.store.next_task_id(),
        );
        self.apply(Change::CorrectContact {
            customer: id.to_string(),
            previous: previous.clone(),
            corrected,
            task: edit.task,
            drop_task: edit.drop_task,
        })?;
        self.refresh(id)?;
        Ok(())
    }

    /// Adds a customer; an empty id gets one made from the name.
    pub fn add_customer(&mut self, mut customer: Customer) -> Result<CustomerId, BookError> {
        if customer.id.is_empty() {
            customer.id = crate::domain::ids::fresh_id(&customer.name, |id| {
                self.store.contains(id).unwrap_or(true)
            });
        } else if self.store.contains(&customer.id)? {
            return Err(BookError::refused(format!(
                "a customer with id '{}' exists already",
                customer.id
            ))
            .with(Text::new("err-customer-exists").arg("id", &customer.id)));
        }
        validate::customer(&customer)?;
        let id = customer.id.clone();
        self.upsert_index(&customer);
        self.apply(Change::PutCustomer(customer))?;
        self.refresh(&id)?;
        Ok(id)
    }

    pub fn update_customer(&mut self, customer: Customer) -> Result<(), BookError> {
        validate::customer(&customer)?;
        self.customer(&customer.id)?;
        let id = customer.id.clone();
        self.upsert_index(&customer);
        self.apply(Change::PutCustomer(customer))?;
        self.refresh(&id)
    }

    pub fn add_bond(&mut self, id: &str, bond: Bond) -> Result<(), BookError> {
        validate::bond(&bond)?;
        let mut bonds = self.account(id)?.bonds;
        bonds.push(bond);
        bonds.sort_by_key(|b| b.since);
        self.apply(Change::SetBonds {
            customer: id.to_string(),
            bonds,
        })?;
        self.refresh(id)
    }

    /// Ends the bond at `index` of `Account::bonds` on `until`.
    pub fn end_bond(&mut self, id: &str, index: usize, until: Date) -> Result<(), BookError> {
        let mut bonds = self.account(id)?.bonds;
        let Some(bond) = bonds.get_mut(index) else {
            return Err(BookError::NotFound {
                what: Missing::Bond {
                    customer: id.to_string(),
                },
                id: index.to_string(),
            });
        };
        if until < bond.since {
            return Err(BookError::invalid(
                "until",
                format!(
                    "a bond cannot end ({until}) before it starts ({})",
                    bond.since
                ),
            )
            .with(
                Text::new("err-bond-ends-early")
                    .arg("until", until)
                    .arg("since", bond.since),
            ));
        }
        bond.until = Some(until);
        self.apply(Change::SetBonds {
            customer: id.to_string(),
            bonds,
        })?;
        self.refresh(id)
    }

    pub fn add_order(&mut self, id: &str, order: Order) -> Result<(), BookError> {
        validate::order(&order)?;
        self.customer(id)?;
        self.apply(Change::AddOrder {
            customer: id.to_string(),
            order,
        })?;
        self.refresh(id)
    }

    pub fn set_lost(&mut self, id: &str, lost: Option<Lost>) -> Result<(), BookError> {
        self.customer(id)?;
        self.apply(Change::SetLost {
            customer: id.to_string(),
            lost,
        })?;
        self.refresh(id)
    }

    pub fn add_task(
        &mut self,
        id: &str,
        due: Date,
        text: &str,
        origin: TaskOrigin,
    ) -> Result<TaskId, BookError> {
        if text.trim().is_empty() {
            return Err(BookError::invalid("text", "a task needs a text")
                .with(Text::new("err-task-no-text")));
        }
        self.customer(id)?;
        let task = Task {
            id: self.store.next_task_id(),
            due,
            text: text.trim().to_string(),
            origin,
            done: None,
        };
        let task_id = task.id;
        self.apply(Change::PutTask {
            customer: id.to_string(),
            task,
        })?;
        self.refresh(id)?;
        Ok(task_id)
    }

    fn update_task(
        &mut self,
        id: &str,
        task_id: TaskId,
        change: impl FnOnce(&mut Task),
    ) -> Result<(), BookError> {
        let account = self.account(id)?;
        let Some(mut task) = account.tasks.into_iter().find(|t| t.id == task_id) else {
            return Err(BookError::task_not_found(id, task_id));
        };
        change(&mut task);
        self.apply(Change::PutTask {
            customer: id.to_string(),
            task,
        })?;
        self.refresh(id)
    }

    /// Marks a task done on `done` (or open again with `None`).
    pub fn set_task_done(
        &mut self,
        id: &str,
        task: TaskId,
        done: Option<Date>,
    ) -> Result<(), BookError> {
        self.update_task(id, task, |t| t.done = done)
    }

    pub fn snooze_task(&mut self, id: &str, task: TaskId, due: Date) -> Result<(), BookError> {
        self.update_task(id, task, |t| t.due = due)
    }

    pub fn put_user(&mut self, user: User) -> Result<(), BookError> {
        validate::user(&user)?;
        self.apply(Change::PutUser(user))?;
        Ok(())
    }

    /// Adds a user; a login that is a user already is refused.
    pub fn add_user(&mut self, user: User) -> Result<(), BookError> {
        if self.users()?.iter().any(|u| u.login == user.login) {
            return Err(BookError::refused(format!(
                "'{}' is a user already; change them with: crm user set {}",
                user.login, user.login
            ))
            .with(Text::new("err-user-exists").arg("login", &user.login)));
        }
        self.put_user(user)
    }

    /// Changes a user; a login that is no user is refused.
    pub fn set_user(&mut self, user: User) -> Result<(), BookError> {
        if !self.users()?.iter().any(|u| u.login == user.login) {
            return Err(BookError::NotFound {
                what: Missing::User,
                id: user.login,
            });
        }
        self.put_user(user)
    }

    /// Stores a PDCA cycle (new or changed). The caller has checked the transition.
    pub fn put_cycle(&mut self, cycle: Cycle) -> Result<(), BookError> {
        let seq = self.apply(Change::PutCycle(cycle))?;
        if let Some(derived) = self.derived.as_mut().filter(|d| d.seq + 1 == seq) {
            derived.cycles_changed(seq);
        }
        Ok(())
    }

    pub fn next_cycle_id(&self) -> u64 {
        self.store.next_cycle_id()
    }

    // ---- import / export ----------------------------------------------------------------

    /// Imports all or nothing: validated first, then written as one journal event.
    pub fn import(&mut self, data: BookData, merge: bool) -> Result<ImportReport, BookError> {
        validate::import(&*self.store, &data, merge)?;
        let report = ImportReport {
            customers: data.accounts.len(),
            ids: data
                .accounts
                .iter()
                .map(|a| a.customer.id.clone())
                .collect(),
            interactions: data.accounts.iter().map(|a| a.interactions.len()).sum(),
            orders: data.accounts.iter().map(|a| a.orders.len()).sum(),
            cycles: data.cycles.len(),
        };
        let profiles: Vec<Customer> = data.accounts.iter().map(|a| a.customer.clone()).collect();
        let mut data = data;
        let corrections = crate::domain::correction::take_for_replay(&mut data.accounts);
        self.apply(Change::Import { data, merge })?;
        self.replay_corrections(corrections)?;
        for customer in &profiles {
            self.upsert_index(customer);
        }
        self.derived = None;
        // An import can change every profile: the search index is saved anew rather than
        // left for every reader to bring forward.
        self.snapshot_stale.set(true);
        // The import is durable now: a snapshot that cannot be saved (a full disk) must not
        // turn it into a failure. A stale snapshot is found and rebuilt by the next open.
        let _ = self.save_snapshots();
        Ok(report)
    }

    /// An imported book's corrections, made again as they were made (by whom, when) on the
    /// contacts the import brought in as first logged: the card then shows each contact
    /// corrected, and what it said before, as the exporting book did. A correction the book
    /// already holds (an export merged back) is not made twice.
    fn replay_corrections(
        &mut self,
        corrections: Vec<(CustomerId, ContactCorrection)>,
    ) -> Result<(), BookError> {
        for (customer, correction) in corrections {
            if self
                .store
                .contact_corrections(&customer)?
                .contains(&correction)
            {
                continue;
            }
            let ContactCorrection {
                previous,
                corrected,
                by,
                on,
            } = correction;
            let change = Change::CorrectContact {
                customer,
                previous,
                corrected,
                task: None,
                drop_task: None,
            };
            // The audit trail falls behind here and is brought forward from the store, with
            // these corrections as their authors made them.
            self.store.apply(&by, on, change)?;
        }
        Ok(())
    }

    pub fn export(&self) -> Result<BookData, BookError> {
        let accounts = self.store.accounts().collect::<Result<Vec<_>, _>>()?;
        Ok(BookData {
            users: self.store.users()?,
            accounts,
            cycles: self.store.cycles()?,
        })
    }

    /// The whole book handed to `write` with its accounts read from the store one at a
    /// time, as `write` takes them (`BookApi::export_records`).
    pub fn export_records(
        &self,
        write: &mut dyn FnMut(api::ExportRecords<'_>) -> Result<(), BookError>,
    ) -> Result<(), BookError> {
        let users = self.store.users()?;
        let cycles = self.store.cycles()?;
        let mut accounts = self
            .store
            .accounts()
            .map(|account| account.map_err(BookError::from));
        write(api::ExportRecords {
            users,
            accounts: &mut accounts,
            cycles,
        })
    }

    /// Writes the snapshots that changed (search index, the engine's pass) so the next
    /// process reads them instead of recomputing.
    pub fn save_snapshots(&mut self) -> Result<(), BookError> {
        if let Some(derived) = self.derived.as_mut() {
            derived.save(&*self.store)?;
        }
        if self.snapshot_stale.get() {
            self.store
                .write_based_snapshot(searching::SNAPSHOT, &self.index().to_bytes())?;
            self.snapshot_stale.set(false);
        }
        self.save_trail()
    }
}

/// One line for a data dir that others could reach before this open made it private, as
/// a message (the front end says it in its reader's language).
pub fn privacy_notice(dir: &std::path::Path, report: &OpenReport) -> Option<Text> {
    let files = match report.tightened {
        0 => Text::empty(),
        1 => Text::new("privacy-one-file"),
        n => Text::new("privacy-files").arg("n", n),
    };
    let dir = dir.display().to_string();
    match report.loose_dir_mode {
        Some(mode) => Some(
            Text::new("privacy-dir-opened")
                .arg("dir", dir)
                .arg("mode", format!("{mode:o}"))
                .part("files", files),
        ),
        None if report.tightened > 0 => Some(
            Text::new("privacy-files-readable")
                .arg("n", report.tightened)
                .arg("dir", dir),
        ),
        None => None,
    }
}

impl Drop for Book {
    fn drop(&mut self) {
        // Best effort: a stale snapshot is detected and rebuilt on the next open.
        let _ = self.save_snapshots();
    }
}
