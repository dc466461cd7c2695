//! The console's start on a new day, or after writes made elsewhere: the saved first page
//! of an earlier day is on screen at once, marked "figures of DAY, updating…", and it
//! answers keys while the book is opened and the day's pass is made on a thread (issue 12:
//! a new day never blocks input). A key that needs the book itself (a card, a write) waits
//! for it, so keys typed ahead keep their order; when the day's lines arrive they take the
//! page's place, keeping its filter, sort and selected customer.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

use jiff::civil::Date;

use crate::book::pdca::PlanEdit;
use crate::book::{Book, BookApi, BookError, ImportReport, LogReceipt, Shelf};
use crate::domain::agenda::Agenda;
use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::model::{
    Account, ActDecision, Bond, BookData, Customer, CustomerId, Cycle, CycleId, Interaction, Lost,
    Metric, Order, Scope, TaskId, TaskOrigin,
};
use crate::domain::pdca::Plan;
use crate::domain::portfolio::{Portfolio, QueueEntry, QueueKind};
use crate::domain::search::Hit;
use crate::tui::App;

/// The opened book and its lines for the day, or why it could not be opened.
pub type Opened = anyhow::Result<(Book, Vec<Summary>)>;

/// A book being opened and brought to the day on a thread of its own.
pub struct Opening {
    receiver: Receiver<Opened>,
}

impl Opening {
    /// Runs `open` on a new thread; its answer is taken with `ready` or `wait`.
    pub fn start(open: impl FnOnce() -> Opened + Send + 'static) -> Opening {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            // The console may have quit meanwhile: nobody is left to tell.
            let _ = sender.send(open());
        });
        Opening { receiver }
    }

    /// The answer when the thread has given it; never waits.
    pub fn ready(&self) -> Option<Opened> {
        match self.receiver.try_recv() {
            Ok(opened) => Some(opened),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(stopped())),
        }
    }

    /// The answer, waiting for it as long as it takes.
    pub fn wait_for_it(&self) -> Opened {
        self.receiver.recv().unwrap_or_else(|_| Err(stopped()))
    }

    /// The answer, waiting at most `limit` for it (`None`: not yet).
    pub fn wait(&self, limit: Duration) -> Option<Opened> {
        match self.receiver.recv_timeout(limit) {
            Ok(opened) => Some(opened),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Err(stopped())),
        }
    }
}

fn stopped() -> anyhow::Error {
    anyhow::anyhow!("opening the book stopped without an answer")
}

/// The day's lines in place of the saved page: filter, sort and the selected customer are
/// kept, and the status line goes (it said "updating…", or that the book was opening).
pub fn arrived(app: &mut App, lines: Vec<Summary>) {
    app.list.replace(lines);
    app.status = None;
}

/// The book while it opens, as the saved page's keys see it: a key that needs nothing of
/// the book (moving, filtering, sorting the page) is answered at once; a find is answered
/// from the search snapshot when it is current; anything else waits for the opened book
/// and is then answered by it, so keys typed ahead keep their order and meaning.
pub struct Waiting {
    shelf: Shelf,
    config: Config,
    actor: String,
    opening: Opening,
    opened: Option<(Book, Option<Vec<Summary>>)>,
}

impl Waiting {
    pub fn new(shelf: Shelf, config: Config, actor: &str, opening: Opening) -> Waiting {
        Waiting {
            shelf,
            config,
            actor: actor.to_string(),
            opening,
            opened: None,
        }
    }

    /// The book and the day's lines once the thread has given them (taken once), or why
    /// it could not open the book.
    pub fn take_opened(&mut self) -> Option<Opened> {
        if self.opened.is_none() {
            match self.opening.ready()? {
                Ok((book, lines)) => self.opened = Some((book, Some(lines))),
                Err(error) => return Some(Err(error)),
            }
        }
        let (book, lines) = self.opened.take()?;
        Some(Ok((book, lines.unwrap_or_default())))
    }

    /// Whether the opened book is here (given by the thread, not taken yet).
    pub fn is_open(&self) -> bool {
        self.opened.is_some()
    }

    /// The opened book, waiting for the thread when it is not here yet.
    fn book(&mut self) -> Result<&mut Book, BookError> {
        if self.opened.is_none() {
            match self.opening.wait_for_it() {
                Ok((book, lines)) => self.opened = Some((book, Some(lines))),
                Err(error) => return Err(BookError::unavailable(error.to_string())),
            }
        }
        match self.opened.as_mut() {
            Some((book, _)) => Ok(book),
            None => Err(BookError::unavailable("the book could not be opened")),
        }
    }
}

impl BookApi for Waiting {
    fn config(&self) -> &Config {
        &self.config
    }
    fn actor(&self) -> &str {
        &self.actor
    }
    fn find(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>, BookError> {
        if self.opened.is_none() {
            if let Some(hits) = self.shelf.quick_find(query, limit) {
                return Ok(hits);
            }
        }
        BookApi::find(self.book()?, query, limit)
    }
    fn resolve(&mut self, a0: &str) -> Result<CustomerId, BookError> {
        BookApi::resolve(self.book()?, a0)
    }
    fn account(&mut self, a0: &str) -> Result<Account, BookError> {
        BookApi::account(self.book()?, a0)
    }
    fn customer(&mut self, a0: &str) -> Result<Customer, BookError> {
        BookApi::customer(self.book()?, a0)
    }
    fn customer_count(&mut self) -> Result<usize, BookError> {
        BookApi::customer_count(self.book()?)
    }
    fn is_empty(&mut self) -> Result<bool, BookError> {
        BookApi::is_empty(self.book()?)
    }
    fn card(&mut self, a0: &str, a1: Date) -> Result<Card, BookError> {
        BookApi::card(self.book()?, a0, a1)
    }
    fn summaries(&mut self, a0: Date) -> Result<Vec<Summary>, BookError> {
        BookApi::summaries(self.book()?, a0)
    }
    fn agenda(&mut self, a0: Date, a1: Option<&str>) -> Result<Agenda, BookError> {
        BookApi::agenda(self.book()?, a0, a1)
    }
    fn portfolio(&mut self, a0: Date, a1: Option<f64>) -> Result<Portfolio, BookError> {
        BookApi::portfolio(self.book()?, a0, a1)
    }
    fn queue(&mut self, a0: Date, a1: QueueKind) -> Result<Vec<QueueEntry>, BookError> {
        BookApi::queue(self.book()?, a0, a1)
    }
    fn export(&mut self) -> Result<BookData, BookError> {
        BookApi::export(self.book()?)
    }
    fn cycles(&mut self) -> Result<Vec<Cycle>, BookError> {
        BookApi::cycles(self.book()?)
    }
    fn find_cycle(&mut self, a0: CycleId) -> Result<Cycle, BookError> {
        BookApi::find_cycle(self.book()?, a0)
    }
    fn cycle_chain(&mut self, a0: CycleId) -> Result<Vec<Cycle>, BookError> {
        BookApi::cycle_chain(self.book()?, a0)
    }
    fn measure(&mut self, a0: Metric, a1: &Scope, a2: Date) -> Result<Option<f64>, BookError> {
        BookApi::measure(self.book()?, a0, a1, a2)
    }
    fn measure_cycle(&mut self, a0: CycleId, a1: Date) -> Result<Option<f64>, BookError> {
        BookApi::measure_cycle(self.book()?, a0, a1)
    }
    fn retract_contact(&mut self, a0: &LogReceipt) -> Result<(), BookError> {
        BookApi::retract_contact(self.book()?, a0)
    }
    fn correct_contact(
        &mut self,
        a0: &str,
        a1: &Interaction,
        a2: Interaction,
    ) -> Result<(), BookError> {
        BookApi::correct_contact(self.book()?, a0, a1, a2)
    }
    fn log_contact(&mut self, a0: &str, a1: Interaction) -> Result<LogReceipt, BookError> {
        BookApi::log_contact(self.book()?, a0, a1)
    }
    fn add_customer(&mut self, a0: Customer) -> Result<CustomerId, BookError> {
        BookApi::add_customer(self.book()?, a0)
    }
    fn update_customer(&mut self, a0: Customer) -> Result<(), BookError> {
        BookApi::update_customer(self.book()?, a0)
    }
    fn add_bond(&mut self, a0: &str, a1: Bond) -> Result<(), BookError> {
        BookApi::add_bond(self.book()?, a0, a1)
    }
    fn end_bond(&mut self, a0: &str, a1: usize, a2: Date) -> Result<(), BookError> {
        BookApi::end_bond(self.book()?, a0, a1, a2)
    }
    fn add_order(&mut self, a0: &str, a1: Order) -> Result<(), BookError> {
        BookApi::add_order(self.book()?, a0, a1)
    }
    fn add_task(
        &mut self,
        a0: &str,
        a1: Date,
        a2: &str,
        a3: TaskOrigin,
    ) -> Result<TaskId, BookError> {
        BookApi::add_task(self.book()?, a0, a1, a2, a3)
    }
    fn set_task_done(&mut self, a0: &str, a1: TaskId, a2: Option<Date>) -> Result<(), BookError> {
        BookApi::set_task_done(self.book()?, a0, a1, a2)
    }
    fn snooze_task(&mut self, a0: &str, a1: TaskId, a2: Date) -> Result<(), BookError> {
        BookApi::snooze_task(self.book()?, a0, a1, a2)
    }
    fn set_lost(&mut self, a0: &str, a1: Option<Lost>) -> Result<(), BookError> {
        BookApi::set_lost(self.book()?, a0, a1)
    }
    fn import(&mut self, a0: BookData, a1: bool) -> Result<ImportReport, BookError> {
        BookApi::import(self.book()?, a0, a1)
    }
    fn plan_cycle(&mut self, a0: Plan, a1: Date) -> Result<Cycle, BookError> {
        BookApi::plan_cycle(self.book()?, a0, a1)
    }
    fn edit_cycle(&mut self, a0: CycleId, a1: PlanEdit) -> Result<Cycle, BookError> {
        BookApi::edit_cycle(self.book()?, a0, a1)
    }
    fn advance_cycle(&mut self, a0: CycleId, a1: Date) -> Result<Cycle, BookError> {
        BookApi::advance_cycle(self.book()?, a0, a1)
    }
    fn add_cycle_action(
        &mut self,
        a0: CycleId,
        a1: &str,
        a2: Option<Date>,
    ) -> Result<Cycle, BookError> {
        BookApi::add_cycle_action(self.book()?, a0, a1, a2)
    }
    fn complete_cycle_action(
        &mut self,
        a0: CycleId,
        a1: usize,
        a2: Date,
    ) -> Result<Cycle, BookError> {
        BookApi::complete_cycle_action(self.book()?, a0, a1, a2)
    }
    fn act_on_cycle(
        &mut self,
        a0: CycleId,
        a1: ActDecision,
        a2: &str,
        a3: Date,
    ) -> Result<(Cycle, Option<Cycle>), BookError> {
        BookApi::act_on_cycle(self.book()?, a0, a1, a2, a3)
    }
    fn users(&mut self) -> Result<Vec<crate::domain::model::User>, BookError> {
        BookApi::users(self.book()?)
    }
    fn add_user(&mut self, a0: crate::domain::model::User) -> Result<(), BookError> {
        BookApi::add_user(self.book()?, a0)
    }
    fn set_user(&mut self, a0: crate::domain::model::User) -> Result<(), BookError> {
        BookApi::set_user(self.book()?, a0)
    }
    fn audit(
        &mut self,
        a0: &crate::book::audit::AuditFilter,
    ) -> Result<Vec<crate::book::audit::AuditEntry>, BookError> {
        BookApi::audit(self.book()?, a0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{demo_book, DemoOptions};
    use crate::tui::Theme;
    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    /// The day rolls over while the console starts: the opening thread is held on a
    /// channel, and a key is answered from the previous day's page meanwhile; a key that
    /// needs the book waits for it and is answered by it; the day's lines then take the
    /// page's place and the selection stays on the same customer.
    #[test]
    fn a_key_is_answered_while_the_new_day_is_computed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let yesterday = jiff::civil::date(2026, 3, 2);
        let today = jiff::civil::date(2026, 3, 3);
        let config = Config::default();
        let mut book = Book::open(&dir, config.clone(), "ann").unwrap();
        let options = DemoOptions {
            customers: 30,
            seed: 5,
            today: yesterday,
        };
        book.import(demo_book(&options, &mut |_| {}), false)
            .unwrap();
        book.summaries(yesterday).unwrap();
        drop(book);

        let shelf = Shelf::at(&dir);
        let (page, stale) = shelf.first_page_or_older(today, &config).unwrap();
        assert_eq!(stale, Some(yesterday));
        let mut app = App::preview(page, config.clone(), "ann", today, Theme::mono());
        app.info("figures of 2026-03-02, updating…");

        let (release, gate) = mpsc::channel::<()>();
        let (open_dir, open_config) = (dir.clone(), config.clone());
        let opening = Opening::start(move || {
            gate.recv()?;
            let mut book = Book::open(&open_dir, open_config, "ann")?;
            let lines = book.summaries(today)?;
            Ok((book, lines))
        });
        let mut waiting = Waiting::new(shelf, config.clone(), "ann", opening);

        let first = app.list.selected().unwrap().id;
        assert!(app.handle_key(KeyEvent::from(KeyCode::Down), &mut waiting));
        let second = app.list.selected().unwrap().id;
        assert_ne!(second, first);
        // Still held: the key was answered before the day's pass could have ended.
        assert!(waiting.take_opened().is_none());
        assert!(!waiting.is_open());

        // A key that needs the book (its card) waits for it and is answered by it.
        release.send(()).unwrap();
        app.handle_key(KeyEvent::from(KeyCode::Enter), &mut waiting);
        assert!(waiting.is_open());
        let card = app.card.as_ref().map(|card| card.card.id.clone());
        assert_eq!(card.as_deref(), Some(second.as_str()));

        let (book, lines) = waiting.take_opened().unwrap().unwrap();
        assert_eq!(lines.len(), 30);
        assert!(lines.iter().all(|line| line.as_of == today));
        arrived(&mut app, lines);
        assert_eq!(app.list.total(), 30);
        assert_eq!(app.list.selected().unwrap().id, second);
        assert_eq!(app.list.selected().unwrap().as_of, today);
        assert_eq!(app.status, None);
        drop(book);
    }
}
