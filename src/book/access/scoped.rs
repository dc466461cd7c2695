//! `Scoped`: the book as one session may use it. Every read is filtered to the session's
//! reach (`domain::access::Reach`) and every change is checked against it before the
//! book makes it, under the session's login. The same `BookApi` as the book itself, so a
//! front end neither knows nor re-implements the rules.
//!
//! `B` is the book owned (a command on a personal book) or borrowed (`&mut Book`: the
//! server, one `Scoped` per request over its one book).

use std::borrow::BorrowMut;

use jiff::civil::Date;

use super::refusal;
use crate::book::audit::{AuditEntry, AuditFilter};
use crate::book::pdca::PlanEdit;
use crate::book::{searching, Book, BookApi, BookError, ImportReport, LogReceipt};
use crate::domain::access::{Reach, Session};
use crate::domain::agenda::Agenda;
use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::model::{
    Account, ActDecision, Bond, BookData, Customer, CustomerId, Cycle, CycleId, Interaction, Lost,
    Metric, Order, Role, Scope, TaskId, TaskOrigin, User,
};
use crate::domain::pdca::Plan;
use crate::domain::portfolio::{Portfolio, QueueEntry, QueueKind};
use crate::domain::search::{Hit, SearchIndex};

pub struct Scoped<B> {
    book: B,
    session: Session,
}

impl<B: BorrowMut<Book>> Scoped<B> {
    pub fn new(book: B, session: Session) -> Self {
        Scoped { book, session }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn book(&self) -> &Book {
        self.book.borrow()
    }

    pub fn into_inner(self) -> B {
        self.book
    }

    fn b(&mut self) -> &mut Book {
        self.book.borrow_mut()
    }

    fn book_users(&self) -> Result<Vec<User>, BookError> {
        self.book().users()
    }

    /// Users (and the book's configuration) are the admin's.
    fn admin(&self) -> Result<(), BookError> {
        if self.session.is_admin() {
            Ok(())
        } else {
            Err(refusal::admin_only(&self.session))
        }
    }

    fn reach(&self) -> Result<Reach, BookError> {
        if self.session.is_admin() {
            return Ok(Reach::All);
        }
        Ok(Reach::of(&self.session, &self.book_users()?))
    }

    /// The customer, when it is within reach; refused (saying why) when it is not.
    fn reachable(&self, reach: &Reach, id: &str) -> Result<Customer, BookError> {
        let customer = self.book().customer(id)?;
        if reach.owner(&customer.owner) {
            Ok(customer)
        } else {
            Err(refusal::not_yours(&self.session, id))
        }
    }

    fn check_customer(&self, id: &str) -> Result<(), BookError> {
        let reach = self.reach()?;
        if !reach.is_all() {
            self.reachable(&reach, id)?;
        }
        Ok(())
    }

    /// The owner of a scope's customer, for `Reach::scope` (`None`: no such customer).
    fn scope_owner(&self, scope: &Scope) -> Result<Option<String>, BookError> {
        match scope {
            Scope::Customer(id) => Ok(self.book().store.customer(id)?.map(|c| c.owner)),
            _ => Ok(None),
        }
    }

    fn check_scope(&self, reach: &Reach, scope: &Scope) -> Result<(), BookError> {
        if reach.scope(scope, self.scope_owner(scope)?.as_deref()) {
            Ok(())
        } else {
            Err(refusal::scope(&self.session, scope))
        }
    }

    fn cycle_within(&self, reach: &Reach, cycle: &Cycle) -> Result<bool, BookError> {
        Ok(reach.is_all()
            || reach.cycle(
                &self.session,
                cycle,
                self.scope_owner(&cycle.scope)?.as_deref(),
            ))
    }

    fn check_cycle(&self, id: CycleId) -> Result<(), BookError> {
        let reach = self.reach()?;
        let cycle = self.book().find_cycle(id)?;
        if self.cycle_within(&reach, &cycle)? {
            Ok(())
        } else {
            Err(refusal::cycle(&self.session, id))
        }
    }

    /// Runs a change as the session's login: it is the actor the journal records.
    fn as_session<T>(&mut self, write: impl FnOnce(&mut Book) -> T) -> T {
        let login = self.session.login.clone();
        let book = self.book.borrow_mut();
        let before = std::mem::replace(&mut book.actor, login);
        let out = write(book);
        book.actor = before;
        out
    }

    /// A new customer's owner: a rep's is theirs; a manager's, theirs unless they name
    /// someone of their team; an admin's as given.
    fn owner_for_new(&self, reach: &Reach, customer: &mut Customer) -> Result<(), BookError> {
        let owner = customer.owner.trim();
        match self.session.role {
            Role::Admin => {}
            Role::Rep if !owner.is_empty() && owner != self.session.login => {
                return Err(refusal::rep_adds_own(&self.session, &customer.id, owner));
            }
            _ if owner.is_empty() => customer.owner = self.session.login.clone(),
            _ if !reach.owner(owner) => {
                return Err(refusal::give_away(&self.session, &customer.id, owner));
            }
            _ => {}
        }
        Ok(())
    }

    /// An import by someone who is not an admin: the users in it must be the book's as
    /// they are (users are the admin's), every customer within reach before and after (a
    /// new one with no owner becomes the importer's), every cycle within reach.
    fn scope_import(&self, reach: &Reach, data: &mut BookData) -> Result<(), BookError> {
        let users = self.book_users()?;
        if data.users.iter().any(|u| !users.contains(u)) {
            return Err(refusal::admin_only(&self.session));
        }
        for account in &mut data.accounts {
            let customer = &mut account.customer;
            match self.book().store.customer(&customer.id)? {
                Some(existing) if !reach.owner(&existing.owner) => {
                    return Err(refusal::not_yours(&self.session, &customer.id));
                }
                Some(_) if !reach.owner(&customer.owner) => {
                    return Err(refusal::give_away(
                        &self.session,
                        &customer.id,
                        &customer.owner,
                    ));
                }
                Some(_) => {}
                None => self.owner_for_new(reach, customer)?,
            }
        }
        for cycle in &data.cycles {
            let owner = match &cycle.scope {
                Scope::Customer(id) => data
                    .accounts
                    .iter()
                    .find(|a| &a.customer.id == id)
                    .map(|a| Some(a.customer.owner.clone()))
                    .map_or_else(|| self.scope_owner(&cycle.scope), Ok)?,
                _ => None,
            };
            if !reach.cycle(&self.session, cycle, owner.as_deref()) {
                return Err(refusal::cycle(&self.session, cycle.id));
            }
        }
        Ok(())
    }
}

impl<B: BorrowMut<Book>> BookApi for Scoped<B> {
    fn config(&self) -> &Config {
        self.book().config()
    }

    fn actor(&self) -> &str {
        &self.session.login
    }

    /// Only an admin narrows over the whole index in memory: anyone else's search goes
    /// through `find`, which leaves out what they do not reach.
    fn local_index(&self) -> Option<&SearchIndex> {
        if self.session.is_admin() {
            Some(self.book().search_index())
        } else {
            None
        }
    }

    fn find(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>, BookError> {
        let reach = self.reach()?;
        if reach.is_all() {
            return Ok(self.book().find(query, limit));
        }
        // Others' customers are dropped from the best hits: widen until `limit` of the
        // session's are found or the query has no more.
        let mut window = limit.max(1).saturating_mul(4);
        loop {
            let hits = self.book().find(query, window);
            let exhausted = hits.len() < window;
            let mut kept = Vec::new();
            for hit in hits {
                let owner = self.book().store.customer(&hit.id)?.map(|c| c.owner);
                if owner.is_some_and(|o| reach.owner(&o)) {
                    kept.push(hit);
                }
            }
            if kept.len() >= limit || exhausted {
                kept.truncate(limit);
                return Ok(kept);
            }
            window = window.saturating_mul(4);
        }
    }

    fn resolve(&mut self, id_or_query: &str) -> Result<CustomerId, BookError> {
        let reach = self.reach()?;
        if reach.is_all() {
            return self.book().resolve(id_or_query);
        }
        let book = self.book();
        if let Some(customer) = book.store.customer(id_or_query)? {
            return if reach.owner(&customer.owner) {
                Ok(customer.id)
            } else {
                Err(refusal::not_yours(&self.session, id_or_query))
            };
        }
        searching::resolve_where(
            &*book.store,
            book.search_index(),
            id_or_query,
            &|c| reach.owner(&c.owner),
            500,
        )
    }

    fn account(&mut self, id: &str) -> Result<Account, BookError> {
        self.check_customer(id)?;
        self.book().account(id)
    }

    fn customer(&mut self, id: &str) -> Result<Customer, BookError> {
        let reach = self.reach()?;
        self.reachable(&reach, id)
    }

    fn customer_count(&mut self) -> Result<usize, BookError> {
        let reach = self.reach()?;
        if reach.is_all() {
            return Ok(self.book().customer_count());
        }
        let mut count = 0;
        for customer in self.book().store.customers() {
            if reach.owner(&customer?.owner) {
                count += 1;
            }
        }
        Ok(count)
    }

    fn is_empty(&mut self) -> Result<bool, BookError> {
        Ok(self.book().is_empty())
    }

    fn card(&mut self, id: &str, as_of: Date) -> Result<Card, BookError> {
        self.check_customer(id)?;
        self.b().card(id, as_of)
    }

    fn summaries(&mut self, as_of: Date) -> Result<Vec<Summary>, BookError> {
        let reach = self.reach()?;
        let mut lines = self.b().summaries(as_of)?;
        lines.retain(|s| reach.owner(&s.owner));
        Ok(lines)
    }

    fn agenda(&mut self, as_of: Date, owner: Option<&str>) -> Result<Agenda, BookError> {
        let reach = self.reach()?;
        if reach.is_all() {
            return self.b().agenda(as_of, owner);
        }
        self.b()
            .agenda_within(as_of, owner, &|owner| reach.owner(owner))
    }

    fn portfolio(&mut self, as_of: Date, capacity: Option<f64>) -> Result<Portfolio, BookError> {
        let reach = self.reach()?;
        if reach.is_all() {
            return self.b().portfolio(as_of, capacity);
        }
        self.b()
            .portfolio_within(as_of, capacity, &|owner| reach.owner(owner))
    }

    fn queue(&mut self, as_of: Date, queue: QueueKind) -> Result<Vec<QueueEntry>, BookError> {
        let reach = self.reach()?;
        self.b()
            .queue_within(as_of, queue, &|owner| reach.owner(owner))
    }

    fn export_records(
        &mut self,
        write: &mut dyn FnMut(crate::book::ExportRecords<'_>) -> Result<(), BookError>,
    ) -> Result<(), BookError> {
        // The whole book is streamed from the store; a narrower reach filters it whole.
        if self.reach()?.is_all() {
            return self.b().export_records(write);
        }
        let data = BookApi::export(self)?;
        let mut accounts = data.accounts.into_iter().map(Ok);
        write(crate::book::ExportRecords {
            users: data.users,
            accounts: &mut accounts,
            cycles: data.cycles,
        })
    }

    fn export(&mut self) -> Result<BookData, BookError> {
        let reach = self.reach()?;
        let mut data = self.book().export()?;
        if reach.is_all() {
            return Ok(data);
        }
        data.users.retain(|u| reach.user(u));
        data.accounts.retain(|a| reach.owner(&a.customer.owner));
        let owners: std::collections::HashMap<&str, &str> = data
            .accounts
            .iter()
            .map(|a| (a.customer.id.as_str(), a.customer.owner.as_str()))
            .collect();
        let session = &self.session;
        data.cycles.retain(|c| {
            let owner = match &c.scope {
                // A customer missing from the kept accounts is outside reach (or gone):
                // an owner no one reaches keeps it out.
                Scope::Customer(id) => Some(owners.get(id.as_str()).copied().unwrap_or("\0")),
                _ => None,
            };
            reach.cycle(session, c, owner)
        });
        Ok(data)
    }

    fn cycles(&mut self) -> Result<Vec<Cycle>, BookError> {
        let reach = self.reach()?;
        let mut kept = Vec::new();
        for cycle in self.book().cycles()? {
            if self.cycle_within(&reach, &cycle)? {
                kept.push(cycle);
            }
        }
        Ok(kept)
    }

    fn find_cycle(&mut self, id: CycleId) -> Result<Cycle, BookError> {
        self.check_cycle(id)?;
        self.book().find_cycle(id)
    }

    fn cycle_chain(&mut self, id: CycleId) -> Result<Vec<Cycle>, BookError> {
        self.check_cycle(id)?;
        let reach = self.reach()?;
        let mut kept = Vec::new();
        for cycle in self.book().cycle_chain(id)? {
            if self.cycle_within(&reach, &cycle)? {
                kept.push(cycle);
            }
        }
        Ok(kept)
    }

    fn measure(
        &mut self,
        metric: Metric,
        scope: &Scope,
        as_of: Date,
    ) -> Result<Option<f64>, BookError> {
        let reach = self.reach()?;
        self.check_scope(&reach, scope)?;
        self.b().measure(metric, scope, as_of)
    }

    fn measure_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Option<f64>, BookError> {
        self.check_cycle(id)?;
        self.b().measure_cycle(id, as_of)
    }

    fn log_contact(
        &mut self,
        id: &str,
        mut interaction: Interaction,
    ) -> Result<LogReceipt, BookError> {
        self.check_customer(id)?;
        // The author is who is logged in, whatever the client wrote.
        interaction.author = self.session.login.clone();
        self.as_session(|book| book.log_contact(id, interaction))
    }

    fn retract_contact(&mut self, receipt: &LogReceipt) -> Result<(), BookError> {
        self.check_customer(&receipt.customer)?;
        // The book takes back only a contact the session's own login logged.
        self.as_session(|book| book.retract_contact(receipt))
    }

    fn correct_contact(
        &mut self,
        id: &str,
        previous: &Interaction,
        corrected: Interaction,
    ) -> Result<(), BookError> {
        self.check_customer(id)?;
        // The correction is made as the session's login; the contact keeps its author.
        self.as_session(|book| book.correct_contact(id, previous, corrected))
    }

    fn add_customer(&mut self, mut customer: Customer) -> Result<CustomerId, BookError> {
        let reach = self.reach()?;
        self.owner_for_new(&reach, &mut customer)?;
        self.as_session(|book| book.add_customer(customer))
    }

    fn update_customer(&mut self, customer: Customer) -> Result<(), BookError> {
        let reach = self.reach()?;
        if !reach.is_all() {
            self.reachable(&reach, &customer.id)?;
            if !reach.owner(&customer.owner) {
                return Err(refusal::give_away(
                    &self.session,
                    &customer.id,
                    &customer.owner,
                ));
            }
        }
        self.as_session(|book| book.update_customer(customer))
    }

    fn add_bond(&mut self, id: &str, bond: Bond) -> Result<(), BookError> {
        self.check_customer(id)?;
        self.as_session(|book| book.add_bond(id, bond))
    }

    fn end_bond(&mut self, id: &str, index: usize, until: Date) -> Result<(), BookError> {
        self.check_customer(id)?;
        self.as_session(|book| book.end_bond(id, index, until))
    }

    fn add_order(&mut self, id: &str, order: Order) -> Result<(), BookError> {
        self.check_customer(id)?;
        self.as_session(|book| book.add_order(id, order))
    }

    fn add_task(
        &mut self,
        id: &str,
        due: Date,
        text: &str,
        origin: TaskOrigin,
    ) -> Result<TaskId, BookError> {
        self.check_customer(id)?;
        self.as_session(|book| book.add_task(id, due, text, origin))
    }

    fn set_task_done(
        &mut self,
        id: &str,
        task: TaskId,
        done: Option<Date>,
    ) -> Result<(), BookError> {
        self.check_customer(id)?;
        self.as_session(|book| book.set_task_done(id, task, done))
    }

    fn snooze_task(&mut self, id: &str, task: TaskId, due: Date) -> Result<(), BookError> {
        self.check_customer(id)?;
        self.as_session(|book| book.snooze_task(id, task, due))
    }

    fn set_lost(&mut self, id: &str, lost: Option<Lost>) -> Result<(), BookError> {
        self.check_customer(id)?;
        self.as_session(|book| book.set_lost(id, lost))
    }

    fn import(&mut self, mut data: BookData, merge: bool) -> Result<ImportReport, BookError> {
        let reach = self.reach()?;
        if !reach.is_all() {
            self.scope_import(&reach, &mut data)?;
        }
        self.as_session(|book| book.import(data, merge))
    }

    fn plan_cycle(&mut self, plan: Plan, as_of: Date) -> Result<Cycle, BookError> {
        let reach = self.reach()?;
        self.check_scope(&reach, &plan.scope)?;
        self.as_session(|book| book.plan_cycle(plan, as_of))
    }

    fn edit_cycle(&mut self, id: CycleId, edit: PlanEdit) -> Result<Cycle, BookError> {
        self.check_cycle(id)?;
        self.as_session(|book| book.edit_cycle(id, edit))
    }

    fn advance_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Cycle, BookError> {
        self.check_cycle(id)?;
        self.as_session(|book| book.advance_cycle(id, as_of))
    }

    fn add_cycle_action(
        &mut self,
        id: CycleId,
        text: &str,
        due: Option<Date>,
    ) -> Result<Cycle, BookError> {
        self.check_cycle(id)?;
        self.as_session(|book| book.add_cycle_action(id, text, due))
    }

    fn complete_cycle_action(
        &mut self,
        id: CycleId,
        index: usize,
        on: Date,
    ) -> Result<Cycle, BookError> {
        self.check_cycle(id)?;
        self.as_session(|book| book.complete_cycle_action(id, index, on))
    }

    fn act_on_cycle(
        &mut self,
        id: CycleId,
        decision: ActDecision,
        lessons: &str,
        as_of: Date,
    ) -> Result<(Cycle, Option<Cycle>), BookError> {
        self.check_cycle(id)?;
        self.as_session(|book| book.act_on_cycle(id, decision, lessons, as_of))
    }

    fn users(&mut self) -> Result<Vec<User>, BookError> {
        self.admin()?;
        self.book().users()
    }

    fn add_user(&mut self, user: User) -> Result<(), BookError> {
        self.admin()?;
        self.as_session(|book| book.add_user(user))
    }

    fn set_user(&mut self, user: User) -> Result<(), BookError> {
        self.admin()?;
        self.as_session(|book| book.set_user(user))
    }

    /// The changes to what the session reaches: customers it reaches now (an import
    /// narrowed to them), cycles within reach; the users' changes are the admin's.
    fn audit(&mut self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, BookError> {
        let reach = self.reach()?;
        if reach.is_all() {
            return self.b().audit(filter);
        }
        if let Some(id) = &filter.customer {
            if self.book().store.contains(id)? {
                self.reachable(&reach, id)?;
            }
            // A customer within reach (a card's history): its entries name it alone.
            return self
                .b()
                .audit_where(filter, &mut |entry| entry.login.is_none().then_some(entry));
        }
        let mut reached = std::collections::HashSet::new();
        for customer in self.book().store.customers() {
            let customer = customer?;
            if reach.owner(&customer.owner) {
                reached.insert(customer.id);
            }
        }
        let mut cycles = std::collections::HashSet::new();
        for cycle in self.book().cycles()? {
            if self.cycle_within(&reach, &cycle)? {
                cycles.insert(cycle.id);
            }
        }
        self.b().audit_where(filter, &mut |mut entry| {
            if entry.login.is_some() {
                return None;
            }
            let cycle = entry.cycle.is_some_and(|id| cycles.contains(&id));
            entry.customers.retain(|id| reached.contains(id));
            (cycle || !entry.customers.is_empty()).then_some(entry)
        })
    }
}
