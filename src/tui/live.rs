//! The console as one of many on a book: it is either a client of the process that serves
//! the book, or that process itself (it opened the book, so it serves it while it lives,
//! tmux's model). Either way a subscription on the book's socket tells it of every other
//! user's change: a thread blocks on the socket (no timer, no polling) and wakes the event
//! loop, which re-reads what is on screen. When the server goes away the console says so
//! in one line; it comes back when a server does, or serves the book itself when nobody
//! does (the console that served it has quit).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::book::remote::{Client, ConnectError, Ended, Limits, Owned, Subscription};
use crate::book::{Book, BookApi, BookError};
use crate::domain::model::CustomerId;
use crate::i18n::{say, tr};
use crate::tui::app::App;
use crate::tui::card::state::CardState;
use crate::tui::navigate::load_view;

/// How the console reaches its book.
pub enum Backing {
    /// Another process serves it.
    Served(Box<Client>),
    /// This process opened it and serves it to the others.
    Owned(Box<Owned>),
    /// Opened here, not served (its socket could not be claimed).
    Plain(Box<dyn BookApi>),
}

impl Backing {
    pub fn api(&mut self) -> &mut dyn BookApi {
        match self {
            Backing::Served(client) => client.as_mut(),
            Backing::Owned(owned) => owned.as_mut(),
            Backing::Plain(api) => api.as_mut(),
        }
    }
}

/// Serves `book` on `socket` (private: the data dir's) while the console runs; a book
/// whose socket cannot be claimed is used as it is, through the session rules.
pub fn own(book: Book, socket: &Path) -> Result<Backing, BookError> {
    match crate::book::remote::claim(socket, 0o600) {
        Ok(claimed) => Ok(Backing::Owned(Box::new(Owned::serve(
            book,
            claimed,
            Limits::default(),
        )?))),
        Err(_) => {
            let actor = book.actor().to_string();
            Ok(Backing::Plain(Box::new(crate::book::access::local(
                book, &actor,
            )?)))
        }
    }
}

/// What the watcher saw since the event loop last looked.
#[derive(Default)]
struct Seen {
    /// Others changed these customers (empty inside: something book-wide).
    changed: Option<Vec<CustomerId>>,
    /// The server went away: the line to show.
    gone: Option<String>,
    /// A server answers again after being gone.
    back: bool,
}

/// The watcher of the book's socket.
pub struct Live {
    seen: Arc<Mutex<Seen>>,
    /// Named sockets are a team's server: the console never serves one itself.
    may_take_over: bool,
    socket: PathBuf,
    down: bool,
    /// The book list is to be re-read (after the next draw: it is the slow part).
    list_due: bool,
}

/// Waits before trying the socket again while it has no server: short at first (a
/// console that quit is replaced in milliseconds), then at most every 2 s.
const RETRY_FIRST: Duration = Duration::from_millis(50);
const RETRY_MOST: Duration = Duration::from_secs(2);

impl Live {
    /// Starts watching `socket`; `may_take_over`: when nobody serves it, this console may
    /// open the book itself.
    pub fn watch(socket: &Path, may_take_over: bool) -> Live {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let watching = Arc::clone(&seen);
        let path = socket.to_path_buf();
        let _ = std::thread::Builder::new()
            .name("crm-live".into())
            .spawn(move || watch(&path, &watching));
        Live {
            seen,
            may_take_over,
            socket: socket.to_path_buf(),
            down: false,
            list_due: false,
        }
    }

    fn take(&self) -> Seen {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Applies what the watcher saw: re-reads the screen after others' changes, says when
    /// the server went and came back, and takes the book over when nobody serves it.
    /// True when the screen changed.
    pub fn apply(
        &mut self,
        app: &mut App,
        backing: &mut Backing,
        open: &mut dyn FnMut() -> Option<Book>,
    ) -> bool {
        let seen = self.take();
        let mut dirty = false;
        if let Some(line) = seen.gone {
            self.down = true;
            app.error(line);
            dirty = true;
        }
        if self.down && self.may_take_over && matches!(backing, Backing::Served(_)) {
            if let Some(book) = open() {
                match own(book, &self.socket) {
                    Ok(owned) => {
                        *backing = owned;
                        self.down = false;
                        app.info(tr("msg-live-serving", &[]));
                        refresh(app, backing.api(), &[]);
                    }
                    Err(e) => app.book_error(&e),
                }
                return true;
            }
        }
        if seen.back {
            self.down = false;
            // Back to our own server (this console took the book over): nothing to say.
            if matches!(backing, Backing::Served(_)) {
                app.info(tr("msg-live-back", &[]));
            }
            refresh(app, backing.api(), &[]);
            return true;
        }
        if let Some(customers) = seen.changed {
            // The card in view and the views' figures now; the whole list after the draw.
            refresh_shown(app, backing.api(), &customers);
            self.list_due = true;
            dirty = true;
        }
        dirty
    }

    /// Re-reads the book list when a change asked for it (all its lines: on a big book
    /// this takes longest, so the card in view is drawn first). True when it did.
    pub fn settle(&mut self, app: &mut App, backing: &mut Backing) -> bool {
        if !std::mem::take(&mut self.list_due) {
            return false;
        }
        match backing.api().summaries(app.as_of) {
            Ok(summaries) => app.list.replace(summaries),
            Err(e) => app.book_error(&e),
        }
        true
    }
}

/// The watcher thread: subscribes, hands every change on, and when the server goes,
/// says so and subscribes again once one answers.
fn watch(socket: &Path, seen: &Mutex<Seen>) {
    let me = std::process::id();
    let mut gone = false;
    let mut retry = RETRY_FIRST;
    loop {
        match Subscription::open(socket) {
            Ok(mut subscription) => {
                retry = RETRY_FIRST;
                if gone {
                    tell(seen, |s| s.back = true);
                }
                loop {
                    match subscription.next_change() {
                        Ok(changed) if changed.pid == me => {}
                        Ok(changed) => tell(seen, |s| {
                            let customers = s.changed.get_or_insert_with(Vec::new);
                            if changed.customers.is_empty() {
                                // Book-wide: marked by an empty entry.
                                customers.push(String::new());
                            }
                            customers.extend(changed.customers);
                        }),
                        Err(ended) => {
                            gone = true;
                            let line = match ended {
                                Ended::Bye { pid, why } => {
                                    tr("msg-live-bye", &[("pid", &pid.to_string()), ("why", &why)])
                                }
                                Ended::Lost { pid, error } => tr(
                                    "msg-live-lost",
                                    &[("pid", &pid.to_string()), ("error", &error)],
                                ),
                            };
                            tell(seen, |s| s.gone = Some(line));
                            break;
                        }
                    }
                }
            }
            Err(ConnectError::Refused(error)) if !gone => {
                gone = true;
                tell(seen, |s| s.gone = Some(say(&error.said())));
            }
            // The server went before this watcher could subscribe (it quit as this console
            // started): gone all the same.
            Err(ConnectError::NoServer(error)) if !gone => {
                gone = true;
                let line = tr("msg-live-none", &[("error", &error.to_string())]);
                tell(seen, |s| s.gone = Some(line));
            }
            Err(_) => {}
        }
        std::thread::sleep(retry);
        retry = (retry * 2).min(RETRY_MOST);
        if gone {
            // The event loop may take the book over meanwhile: let it look.
            wake();
        }
    }
}

fn tell(seen: &Mutex<Seen>, note: impl FnOnce(&mut Seen)) {
    note(&mut seen.lock().unwrap_or_else(|p| p.into_inner()));
    wake();
}

/// Wakes the event loop's wait for input: it reads a window-size change like a resize.
fn wake() {
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
}

/// Re-reads what the screen shows after others changed `customers` (an empty id: the
/// whole book): the list, the views' figures, and the card in view if it is one of them.
pub(crate) fn refresh(app: &mut App, book: &mut dyn BookApi, customers: &[CustomerId]) {
    match book.summaries(app.as_of) {
        Ok(summaries) => app.list.replace(summaries),
        Err(e) => app.book_error(&e),
    }
    refresh_shown(app, book, customers);
}

/// As `refresh`, but the book list: the card in view and the views' figures.
fn refresh_shown(app: &mut App, book: &mut dyn BookApi, customers: &[CustomerId]) {
    app.agenda.agenda = None;
    app.portfolio.portfolio = None;
    app.pdca.cycles = None;
    let everything = customers.is_empty() || customers.iter().any(String::is_empty);
    let shown = app.card.as_ref().map(|c| (c.card.id.clone(), c.reading));
    if let Some((id, reading)) = shown {
        if everything || customers.contains(&id) {
            match book.card(&id, app.as_of) {
                Ok(card) => {
                    let mut state = CardState::new(card);
                    state.reading.cursor =
                        reading.cursor.min(state.items().len().saturating_sub(1));
                    state.reading.scroll = reading.scroll;
                    app.card = Some(state);
                }
                Err(e) => app.book_error(&e),
            }
        }
    }
    load_view(app, book);
}
