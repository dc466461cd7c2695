//! The whole state of the console. `update` is its only writer; views only read it.

use jiff::civil::Date;
use jiff::Timestamp;

use crate::book::{BookApi, BookError, FirstPage};
use crate::domain::card::Summary;
use crate::domain::config::Config;
use crate::domain::model::{CustomerId, TaskId};
use crate::domain::search::{Hit, Searcher};
pub use crate::tui::card::state::{CardState, Item};
use crate::tui::form::{Form, TextInput};
use crate::tui::list::{BookList, Cursor};
pub use crate::tui::pdca::state::PdcaState;
use crate::tui::theme::Theme;
use crate::tui::vocab::Mode;
pub use crate::tui::vocab::{SortKey, View};
use crate::tui::{agenda::state::AgendaState, portfolio::state::PortfolioState};

#[derive(Debug, Default)]
pub struct FindState {
    pub query: TextInput,
    pub hits: Vec<Hit>,
    pub cursor: Cursor,
    /// Per hit, the field the query was found in when it is not the name (`phone +86…`).
    pub why: Vec<Option<String>>,
    /// The remembered query is shown: the first typed character replaces it.
    pub remembered: bool,
}

/// What a yes does. Each is a write one key must not make by accident (issue 14), or a
/// loss of typed work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    /// Cancel the open form and lose what was typed.
    DropForm,
    /// Mark a task done; `close_card` when it was asked from a list (the agenda).
    TaskDone {
        customer: CustomerId,
        task: TaskId,
        close_card: bool,
    },
    /// Save the open form: it does what cannot be taken back in one key (abandon a cycle,
    /// mark a customer lost).
    SaveForm,
    /// Take back the last contact logged (`App::last_log`).
    UndoLog,
    /// Open again the form a console that ended left as a draft (`drafts.rs`).
    RestoreDraft,
    /// Make `login`, typed in the owner list, a new owner (a typo must not make one).
    NewOwner { login: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub prompt: String,
    pub kind: ConfirmKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Sizes the last frame gave the scrolling areas, so paging moves by what is visible.
/// The sizes the last frame laid out, for page keys: what `view::render` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub list_rows: u16,
    pub card_rows: u16,
    pub width: u16,
    /// The last frame was the "terminal too small" notice: keys act on nothing shown, so
    /// only quitting is taken.
    pub too_small: bool,
}

impl Default for Viewport {
    /// Until the first frame: a 80x24 screen's sizes, near enough.
    fn default() -> Self {
        Viewport {
            list_rows: 20,
            card_rows: 20,
            width: 80,
            too_small: false,
        }
    }
}

pub struct App {
    pub as_of: Date,
    /// The book's thresholds, for views that explain a rule (Kotler's table).
    pub config: Config,
    pub theme: Theme,
    pub actor: String,
    pub view: View,
    pub list: BookList,
    pub card: Option<CardState>,
    pub find: Option<FindState>,
    pub form: Option<Form>,
    pub confirm: Option<Confirm>,
    /// Open help, and its scroll.
    pub help: Option<usize>,
    pub agenda: AgendaState,
    /// A write made while another view was shown left the book list as it was: it is
    /// read again when the list is shown (`navigate::settle`), so a contact logged from
    /// the agenda costs the agenda, not every line of the book.
    pub list_stale: bool,
    pub portfolio: PortfolioState,
    pub pdca: PdcaState,
    pub status: Option<Status>,
    pub quit: bool,
    pub viewport: Viewport,
    /// The clock, read only when a contact is logged (replaceable in tests).
    pub now: fn() -> Timestamp,
    pub searcher: Searcher,
    /// The last query of the find palette, offered again when it is reopened.
    pub last_query: String,
    /// What the last contact logged in this console did, for undo (`U`).
    pub last_log: Option<crate::book::LogReceipt>,
    /// Where the open form is kept as it is typed (none in tests unless set).
    pub drafts: crate::tui::drafts::DraftSlot,
}

impl App {
    pub fn new(book: &mut dyn BookApi, as_of: Date, theme: Theme) -> Result<App, BookError> {
        let summaries = book.summaries(as_of)?;
        let (config, actor) = (book.config().clone(), book.actor().to_string());
        Ok(App::with_lines(summaries, config, actor, as_of, theme))
    }

    /// The book view of a book not opened yet, from its saved first page: what the console
    /// shows while it opens the book (no key is read until then).
    pub fn preview(page: FirstPage, config: Config, actor: &str, as_of: Date, theme: Theme) -> App {
        let mut app = App::with_lines(page.lines, config, actor.to_string(), as_of, theme);
        app.list.partial_total = Some(page.total);
        app
    }

    fn with_lines(
        summaries: Vec<Summary>,
        config: Config,
        actor: String,
        as_of: Date,
        theme: Theme,
    ) -> App {
        let viewport = Viewport::default();
        App {
            as_of,
            config,
            theme,
            actor,
            view: View::Book,
            list: BookList::new(summaries),
            card: None,
            find: None,
            form: None,
            confirm: None,
            help: None,
            agenda: AgendaState::default(),
            list_stale: false,
            portfolio: PortfolioState::default(),
            pdca: PdcaState::default(),
            status: None,
            quit: false,
            viewport,
            now: Timestamp::now,
            searcher: Searcher::new(),
            last_query: String::new(),
            drafts: Default::default(),
            last_log: None,
        }
    }

    /// Which key table applies now: the topmost layer decides.
    pub fn mode(&self) -> Mode {
        if self.confirm.is_some() {
            Mode::Confirm
        } else if self.help.is_some() {
            Mode::Help
        } else {
            self.mode_under_help()
        }
    }

    /// The mode of what is on screen below help and questions: help lists its keys.
    pub fn mode_under_help(&self) -> Mode {
        if self.form.as_ref().is_some_and(|f| f.open_pick().is_some()) {
            Mode::Pick
        } else if self.form.is_some() {
            Mode::Form
        } else if self.find.is_some() {
            Mode::Find
        } else if self.pdca.page.is_some() {
            Mode::Cycle
        } else if self.card.is_some() {
            Mode::Card
        } else {
            self.view.mode()
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// A book error on the status line, in the reader's language.
    pub fn book_error(&mut self, error: &BookError) {
        self.error(error_text(error));
    }
}

/// A book error in the reader's language (the book gives each as a message too).
pub fn error_text(error: &BookError) -> String {
    crate::i18n::say_words(&error.said())
}
