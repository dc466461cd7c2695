//! The book of a serving process, shared by its connections: behind one lock, so requests
//! are answered one at a time in the order they take it (each is short: a lookup, or one
//! durable write), and every write is announced to the subscribers afterwards.
//!
//! A connection reads its whole request before it comes here, and writes its answer after
//! the lock is released, so a slow or stuck client never holds the book.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};

use super::super::access::{session_for, Scoped, Session};
use super::super::{Book, BookError};
use super::answer::answer;
use super::protocol::{Changed, Request};
use crate::domain::config::Config;

/// How many announcements a subscriber may have waiting: one that falls this far behind
/// (its console stopped reading) is dropped rather than waited for.
const BACKLOG: usize = 1024;

pub struct Hub {
    book: Mutex<Book>,
    config: Config,
    subscribers: Mutex<Vec<Subscriber>>,
}

struct Subscriber {
    id: u64,
    sender: SyncSender<Changed>,
}

impl Hub {
    pub fn new(book: Book) -> Hub {
        Hub {
            config: book.config().clone(),
            book: Mutex::new(book),
            subscribers: Mutex::new(Vec::new()),
        }
    }

    /// A hub for `book` that also hears what other servers sharing its store commit
    /// (PostgreSQL): a thread, asleep until the store wakes it, takes their changes in
    /// and announces them, so a console on this server shows them without a key press.
    pub fn shared(book: Book) -> Arc<Hub> {
        let hub = Arc::new(Hub::new(book));
        let (wake, woken) = sync_channel::<()>(1);
        hub.book().on_foreign_change(Box::new(move || {
            // One wake-up waiting is enough: it reads everything committed until then.
            let _ = wake.try_send(());
        }));
        let weak = Arc::downgrade(&hub);
        // Without the thread, other servers' changes still arrive with the next request.
        let _ = std::thread::Builder::new()
            .name("crm-hear-others".to_string())
            .spawn(move || {
                // Ends when the store (and with it the sender) is gone.
                for () in woken {
                    let Some(hub) = weak.upgrade() else { break };
                    // A stopped database is for the next request to report.
                    let _ = hub.take_in_foreign(&mut hub.book());
                }
            });
        hub
    }

    /// Takes in what other servers sharing the store committed since it last looked and
    /// announces it (pid 0: no console of ours made it).
    fn take_in_foreign(&self, book: &mut Book) -> Result<(), BookError> {
        if let Some(customers) = book.catch_up_shared()? {
            self.announce(Changed {
                seq: book.seq(),
                customers,
                pid: 0,
            });
        }
        Ok(())
    }

    /// What the book computes with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The book, for the time of one request. A request that panicked (a bug) leaves the
    /// lock poisoned: the book is still the journal's, so the next request goes on.
    fn book(&self) -> MutexGuard<'_, Book> {
        self.book
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` with the book under its lock (the owner's own checks, tests).
    pub fn with_book<T>(&self, f: impl FnOnce(&mut Book) -> T) -> T {
        f(&mut self.book())
    }

    /// The session of `login` (a peer the kernel named): refused when the book's users do
    /// not know them, saying how an admin adds them.
    pub fn session(&self, login: &str) -> Result<Session, BookError> {
        session_for(&self.book(), login)
    }

    /// Answers `request` as `login`, within the reach of their session (looked up per
    /// request, so a role an admin changes applies to every connection's next request).
    /// `pid` is the requesting process (the kernel's word), named in the announcement.
    pub fn answer(
        &self,
        login: &str,
        pid: u32,
        request: Request,
    ) -> Result<serde_json::Value, BookError> {
        self.answer_within(|book| session_for(book, login), pid, request)
    }

    /// Answers `request` for `session` (the owner's own front end, whose session was
    /// settled when it opened the book).
    pub fn answer_as(
        &self,
        session: &Session,
        request: Request,
    ) -> Result<serde_json::Value, BookError> {
        self.answer_within(|_| Ok(session.clone()), std::process::id(), request)
    }

    fn answer_within(
        &self,
        session: impl FnOnce(&Book) -> Result<Session, BookError>,
        pid: u32,
        request: Request,
    ) -> Result<serde_json::Value, BookError> {
        let mut request = request;
        let write = request.is_write();
        let named = request.customer().map(str::to_string);
        let import = matches!(request, Request::Import { .. });
        let added = matches!(request, Request::AddCustomer { .. });
        let mut book = self.book();
        // What other servers sharing the store committed since (PostgreSQL).
        let caught_up = self.take_in_foreign(&mut book);
        let result = caught_up.and_then(|()| session(&book)).and_then(|session| {
            // A contact's author is whoever logs it: what a client says is not believed.
            if let Request::LogContact { interaction, .. } = &mut request {
                interaction.author = session.login.clone();
            }
            answer(&mut Scoped::new(&mut *book, session), request)
        });
        if !write {
            // A read's answer (a whole export, say) is encoded with the lock released.
            drop(book);
            return result.and_then(|encode| encode());
        }
        // A write's answer is small; it is encoded and announced before the book is let
        // go, so subscribers see writes in the order they were made (`announce` never
        // waits on a subscriber).
        let result = result.and_then(|encode| encode());
        if let Ok(value) = &result {
            let customers = match (named, import, added) {
                (Some(id), _, _) => vec![id],
                (None, true, _) => value["ids"]
                    .as_array()
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|id| id.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                (None, false, true) => value.as_str().map(str::to_string).into_iter().collect(),
                (None, false, false) => Vec::new(),
            };
            self.announce(Changed {
                seq: book.seq(),
                customers,
                pid,
            });
        }
        drop(book);
        result
    }

    /// Registers a subscriber; its receiver gets every announcement from now on.
    pub fn subscribe(&self, id: u64) -> Receiver<Changed> {
        let (sender, receiver) = sync_channel(BACKLOG);
        self.subscribers().push(Subscriber { id, sender });
        receiver
    }

    pub fn unsubscribe(&self, id: u64) {
        self.subscribers().retain(|s| s.id != id);
    }

    fn subscribers(&self) -> MutexGuard<'_, Vec<Subscriber>> {
        self.subscribers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Hands the change to every subscriber's writer without waiting for any of them.
    fn announce(&self, changed: Changed) {
        self.subscribers()
            .retain(|s| match s.sender.try_send(changed.clone()) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
            });
    }

    /// Stops announcing: every subscriber's receiver ends.
    pub fn close_subscriptions(&self) {
        self.subscribers().clear();
    }

    /// Gives the book back once no connection holds the hub any more.
    pub fn into_book(self) -> Book {
        self.book
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
