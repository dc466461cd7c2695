//! `BookApi`: the one interface the console and every command use. `Book` implements it
//! in-process; `remote::Client` implements it over the socket of `crm serve`, so a second
//! console or a command is a client of the process that owns the book. Plain serde data in
//! and out, typed errors (`BookError`) back.
//!
//! Every call takes `&mut self`: a client writes to and reads from its socket. A method
//! added here is added in three more places the compiler points to: `impl BookApi for
//! Book` below, `remote::Request` (one variant, with `actor` for a write), `remote::answer`
//! and `impl BookApi for Client` (and one forwarding line in `tui::opening::Waiting`).

use jiff::civil::Date;

use super::audit::{AuditEntry, AuditFilter};
use super::pdca::PlanEdit;
use super::{Book, BookError, ImportReport, LogReceipt};
use crate::domain::agenda::Agenda;
use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::model::{
    Account, ActDecision, Bond, BookData, Customer, CustomerId, Cycle, CycleId, Interaction, Lost,
    Metric, Order, Scope, TaskId, TaskOrigin, User,
};
use crate::domain::pdca::Plan;
use crate::domain::portfolio::{Portfolio, QueueEntry, QueueKind};
use crate::domain::search::{Hit, SearchIndex};

/// An export's records: the users and cycles whole, the accounts as they are read.
pub struct ExportRecords<'a> {
    pub users: Vec<User>,
    pub accounts: &'a mut dyn Iterator<Item = Result<Account, BookError>>,
    pub cycles: Vec<Cycle>,
}

pub trait BookApi {
    /// The thresholds and defaults the book computes with.
    fn config(&self) -> &Config;
    /// The login recorded on every change made through this handle.
    fn actor(&self) -> &str;
    /// The in-memory search index, when the book is in this process: the console then
    /// narrows a query keystroke by keystroke without a round trip. A client has none.
    fn local_index(&self) -> Option<&SearchIndex> {
        None
    }

    /// Customers matching `query`, best first.
    fn find(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>, BookError>;
    /// An id, or a query that matches exactly one customer.
    fn resolve(&mut self, id_or_query: &str) -> Result<CustomerId, BookError>;
    /// The profile and histories of one customer.
    fn account(&mut self, id: &str) -> Result<Account, BookError>;
    fn customer(&mut self, id: &str) -> Result<Customer, BookError>;
    fn customer_count(&mut self) -> Result<usize, BookError>;
    /// No customers, users or cycles.
    fn is_empty(&mut self) -> Result<bool, BookError>;
    /// The customer card for `as_of`.
    fn card(&mut self, id: &str, as_of: Date) -> Result<Card, BookError>;
    /// One line per customer, in id order.
    fn summaries(&mut self, as_of: Date) -> Result<Vec<Summary>, BookError>;
    /// Who to contact today, for one owner or all.
    fn agenda(&mut self, as_of: Date, owner: Option<&str>) -> Result<Agenda, BookError>;
    /// The book's figures, queues and capacity plan.
    fn portfolio(&mut self, as_of: Date, capacity: Option<f64>) -> Result<Portfolio, BookError>;
    /// Everyone in one of the portfolio's CRM queues, most valuable first (the console's
    /// drill-down from the queue's count).
    fn queue(&mut self, as_of: Date, queue: QueueKind) -> Result<Vec<QueueEntry>, BookError>;
    /// The whole book as plain records.
    fn export(&mut self) -> Result<BookData, BookError>;
    /// The whole book handed to `write`, its accounts one at a time: a book in this
    /// process reads each from the store as `write` takes it, so exporting a large book
    /// never holds it whole (issue 12). Elsewhere the book comes whole, from `export`.
    fn export_records(
        &mut self,
        write: &mut dyn FnMut(ExportRecords<'_>) -> Result<(), BookError>,
    ) -> Result<(), BookError> {
        let data = self.export()?;
        let mut accounts = data.accounts.into_iter().map(Ok);
        write(ExportRecords {
            users: data.users,
            accounts: &mut accounts,
            cycles: data.cycles,
        })
    }
    /// All PDCA cycles in id order.
    fn cycles(&mut self) -> Result<Vec<Cycle>, BookError>;
    fn find_cycle(&mut self, id: CycleId) -> Result<Cycle, BookError>;
    /// The chain the cycle belongs to, oldest first.
    fn cycle_chain(&mut self, id: CycleId) -> Result<Vec<Cycle>, BookError>;
    /// What `metric` measures over `scope` on `as_of`.
    fn measure(
        &mut self,
        metric: Metric,
        scope: &Scope,
        as_of: Date,
    ) -> Result<Option<f64>, BookError>;
    fn measure_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Option<f64>, BookError>;
    /// Logs a contact; returns what was done once it is durable.
    fn log_contact(&mut self, id: &str, interaction: Interaction) -> Result<LogReceipt, BookError>;
    /// Takes back a contact this user logged, as a reverse event (the console's undo).
    fn retract_contact(&mut self, receipt: &LogReceipt) -> Result<(), BookError>;
    /// Corrects a logged contact (`previous`, as read) to `corrected`, keeping the old
    /// version in the journal, the audit trail and the card.
    fn correct_contact(
        &mut self,
        id: &str,
        previous: &Interaction,
        corrected: Interaction,
    ) -> Result<(), BookError>;
    fn add_customer(&mut self, customer: Customer) -> Result<CustomerId, BookError>;
    fn update_customer(&mut self, customer: Customer) -> Result<(), BookError>;
    fn add_bond(&mut self, id: &str, bond: Bond) -> Result<(), BookError>;
    fn end_bond(&mut self, id: &str, index: usize, until: Date) -> Result<(), BookError>;
    fn add_order(&mut self, id: &str, order: Order) -> Result<(), BookError>;
    fn add_task(
        &mut self,
        id: &str,
        due: Date,
        text: &str,
        origin: TaskOrigin,
    ) -> Result<TaskId, BookError>;
    fn set_task_done(
        &mut self,
        id: &str,
        task: TaskId,
        done: Option<Date>,
    ) -> Result<(), BookError>;
    fn snooze_task(&mut self, id: &str, task: TaskId, due: Date) -> Result<(), BookError>;
    fn set_lost(&mut self, id: &str, lost: Option<Lost>) -> Result<(), BookError>;
    /// Adds (or with `merge`, updates) a whole book's records as one change.
    fn import(&mut self, data: BookData, merge: bool) -> Result<ImportReport, BookError>;
    fn plan_cycle(&mut self, plan: Plan, as_of: Date) -> Result<Cycle, BookError>;
    fn edit_cycle(&mut self, id: CycleId, edit: PlanEdit) -> Result<Cycle, BookError>;
    fn advance_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Cycle, BookError>;
    fn add_cycle_action(
        &mut self,
        id: CycleId,
        text: &str,
        due: Option<Date>,
    ) -> Result<Cycle, BookError>;
    fn complete_cycle_action(
        &mut self,
        id: CycleId,
        index: usize,
        on: Date,
    ) -> Result<Cycle, BookError>;
    fn act_on_cycle(
        &mut self,
        id: CycleId,
        decision: ActDecision,
        lessons: &str,
        as_of: Date,
    ) -> Result<(Cycle, Option<Cycle>), BookError>;
    /// The book's users, by login (an admin's).
    fn users(&mut self) -> Result<Vec<User>, BookError>;
    /// Adds a user; a login that is one already is refused (an admin's).
    fn add_user(&mut self, user: User) -> Result<(), BookError>;
    /// Replaces a user's name, role and team; a login that is none is not found.
    fn set_user(&mut self, user: User) -> Result<(), BookError>;
    /// Who changed what and when, oldest first (within the caller's reach).
    fn audit(&mut self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, BookError>;
}

impl BookApi for Book {
    fn config(&self) -> &Config {
        Book::config(self)
    }

    fn actor(&self) -> &str {
        Book::actor(self)
    }

    fn local_index(&self) -> Option<&SearchIndex> {
        Some(self.search_index())
    }

    fn find(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>, BookError> {
        Ok(Book::find(self, query, limit))
    }
    fn resolve(&mut self, id_or_query: &str) -> Result<CustomerId, BookError> {
        Book::resolve(self, id_or_query)
    }
    fn account(&mut self, id: &str) -> Result<Account, BookError> {
        Book::account(self, id)
    }
    fn customer(&mut self, id: &str) -> Result<Customer, BookError> {
        Book::customer(self, id)
    }
    fn customer_count(&mut self) -> Result<usize, BookError> {
        Ok(Book::customer_count(self))
    }
    fn is_empty(&mut self) -> Result<bool, BookError> {
        Ok(Book::is_empty(self))
    }
    fn card(&mut self, id: &str, as_of: Date) -> Result<Card, BookError> {
        Book::card(self, id, as_of)
    }
    fn summaries(&mut self, as_of: Date) -> Result<Vec<Summary>, BookError> {
        Book::summaries(self, as_of)
    }
    fn agenda(&mut self, as_of: Date, owner: Option<&str>) -> Result<Agenda, BookError> {
        Book::agenda(self, as_of, owner)
    }
    fn portfolio(&mut self, as_of: Date, capacity: Option<f64>) -> Result<Portfolio, BookError> {
        Book::portfolio(self, as_of, capacity)
    }
    fn queue(&mut self, as_of: Date, queue: QueueKind) -> Result<Vec<QueueEntry>, BookError> {
        Book::queue_within(self, as_of, queue, &|_| true)
    }
    fn export(&mut self) -> Result<BookData, BookError> {
        Book::export(self)
    }
    fn export_records(
        &mut self,
        write: &mut dyn FnMut(ExportRecords<'_>) -> Result<(), BookError>,
    ) -> Result<(), BookError> {
        Book::export_records(self, write)
    }
    fn cycles(&mut self) -> Result<Vec<Cycle>, BookError> {
        Book::cycles(self)
    }
    fn find_cycle(&mut self, id: CycleId) -> Result<Cycle, BookError> {
        Book::find_cycle(self, id)
    }
    fn cycle_chain(&mut self, id: CycleId) -> Result<Vec<Cycle>, BookError> {
        Book::cycle_chain(self, id)
    }
    fn measure(
        &mut self,
        metric: Metric,
        scope: &Scope,
        as_of: Date,
    ) -> Result<Option<f64>, BookError> {
        Book::measure(self, metric, scope, as_of)
    }
    fn measure_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Option<f64>, BookError> {
        Book::measure_cycle(self, id, as_of)
    }
    fn log_contact(&mut self, id: &str, interaction: Interaction) -> Result<LogReceipt, BookError> {
        Book::log_contact(self, id, interaction)
    }
    fn retract_contact(&mut self, receipt: &LogReceipt) -> Result<(), BookError> {
        Book::retract_contact(self, receipt)
    }
    fn correct_contact(
        &mut self,
        id: &str,
        previous: &Interaction,
        corrected: Interaction,
    ) -> Result<(), BookError> {
        Book::correct_contact(self, id, previous, corrected)
    }
    fn add_customer(&mut self, customer: Customer) -> Result<CustomerId, BookError> {
        Book::add_customer(self, customer)
    }
    fn update_customer(&mut self, customer: Customer) -> Result<(), BookError> {
        Book::update_customer(self, customer)
    }
    fn add_bond(&mut self, id: &str, bond: Bond) -> Result<(), BookError> {
        Book::add_bond(self, id, bond)
    }
    fn end_bond(&mut self, id: &str, index: usize, until: Date) -> Result<(), BookError> {
        Book::end_bond(self, id, index, until)
    }
    fn add_order(&mut self, id: &str, order: Order) -> Result<(), BookError> {
        Book::add_order(self, id, order)
    }
    fn add_task(
        &mut self,
        id: &str,
        due: Date,
        text: &str,
        origin: TaskOrigin,
    ) -> Result<TaskId, BookError> {
        Book::add_task(self, id, due, text, origin)
    }
    fn set_task_done(
        &mut self,
        id: &str,
        task: TaskId,
        done: Option<Date>,
    ) -> Result<(), BookError> {
        Book::set_task_done(self, id, task, done)
    }
    fn snooze_task(&mut self, id: &str, task: TaskId, due: Date) -> Result<(), BookError> {
        Book::snooze_task(self, id, task, due)
    }
    fn set_lost(&mut self, id: &str, lost: Option<Lost>) -> Result<(), BookError> {
        Book::set_lost(self, id, lost)
    }
    fn import(&mut self, data: BookData, merge: bool) -> Result<ImportReport, BookError> {
        Book::import(self, data, merge)
    }
    fn plan_cycle(&mut self, plan: Plan, as_of: Date) -> Result<Cycle, BookError> {
        Book::plan_cycle(self, plan, as_of)
    }
    fn edit_cycle(&mut self, id: CycleId, edit: PlanEdit) -> Result<Cycle, BookError> {
        Book::edit_cycle(self, id, edit)
    }
    fn advance_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Cycle, BookError> {
        Book::advance_cycle(self, id, as_of)
    }
    fn add_cycle_action(
        &mut self,
        id: CycleId,
        text: &str,
        due: Option<Date>,
    ) -> Result<Cycle, BookError> {
        Book::add_cycle_action(self, id, text, due)
    }
    fn complete_cycle_action(
        &mut self,
        id: CycleId,
        index: usize,
        on: Date,
    ) -> Result<Cycle, BookError> {
        Book::complete_cycle_action(self, id, index, on)
    }
    fn act_on_cycle(
        &mut self,
        id: CycleId,
        decision: ActDecision,
        lessons: &str,
        as_of: Date,
    ) -> Result<(Cycle, Option<Cycle>), BookError> {
        Book::act_on_cycle(self, id, decision, lessons, as_of)
    }
    fn users(&mut self) -> Result<Vec<User>, BookError> {
        Book::users(self)
    }
    fn add_user(&mut self, user: User) -> Result<(), BookError> {
        Book::add_user(self, user)
    }
    fn set_user(&mut self, user: User) -> Result<(), BookError> {
        Book::set_user(self, user)
    }
    fn audit(&mut self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, BookError> {
        Book::audit(self, filter)
    }
}
