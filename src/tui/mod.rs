//! The console (`crm` with no subcommand): key -> keymap -> Msg -> update -> App -> view.
//!
//! The loop blocks on input and draws only after a change: idle costs no CPU.

pub mod agenda;
pub mod app;
pub mod book_list;
pub mod card;
pub mod colours;
mod control;
pub mod document;
pub mod drafts;
pub mod form;
pub mod keymap;
pub mod list;
pub mod live;
mod memory;
pub mod navigate;
pub mod opening;
pub mod packed;
pub mod pdca;
pub mod portfolio;

pub mod scroll_backend;
pub mod scroll_region;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod update;
pub mod view;
pub(crate) mod views;
pub mod vocab;
pub mod widgets;

use crate::i18n::{t, tr};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use jiff::civil::Date;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::book::remote::Client;
use crate::book::{Book, BookApi, OpenReport, Shelf};
use crate::domain::config::Config;
pub use app::App;
use terminal::{Console, SignalFlags};
pub use theme::Theme;

/// Runs the console on `book` until the user quits or an ending signal arrives (see
/// `terminal::watch_signals`), serving the book on `socket` to every other `crm` meanwhile.
pub fn run(book: Book, as_of: Date, socket: &Path) -> anyhow::Result<()> {
    let backing = live::own(book, socket)?;
    run_on(backing, as_of, socket, false, &mut || None)
}

/// Runs the console as a client of the process that serves the book on `socket`.
/// `named`: the socket is a team's (`--socket`, `$CRM_SOCKET`); otherwise, should its
/// server go away with nobody serving after it, `open` opens the book here to serve it.
pub fn run_served(
    client: Client,
    as_of: Date,
    socket: &Path,
    named: bool,
    open: &mut dyn FnMut() -> Option<Book>,
) -> anyhow::Result<()> {
    run_on(
        live::Backing::Served(Box::new(client)),
        as_of,
        socket,
        !named,
        open,
    )
}

fn run_on(
    mut backing: live::Backing,
    as_of: Date,
    socket: &Path,
    may_take_over: bool,
    open: &mut dyn FnMut() -> Option<Book>,
) -> anyhow::Result<()> {
    // Everything that can fail slowly or loudly happens before the screen is taken.
    let mut app = App::new(backing.api(), as_of, Theme::detect())?;
    keep_drafts(&mut app, socket);
    memory::give_back_freed();
    let signals = terminal::watch_signals()?;
    let mut console = Console::enter(app.theme.colours)?;
    let mut watching = Some(live::Live::watch(socket, may_take_over));
    let result = event_loop(
        &mut console,
        &mut app,
        &mut backing,
        &signals,
        &mut watching,
        open,
    );
    console.leave();
    result
}

/// Opens the book in `dir` and runs the console on it. When the book list's first page is
/// saved, it is drawn before the book is opened (marked "figures of DAY, updating…" when it
/// is of an earlier day or writes followed it), so customers are on screen at once, and it
/// answers keys while the book is opened and the day's pass is made on a thread
/// (`opening`): a new day never blocks input. Otherwise `open` (which may report progress
/// on the terminal) opens it first.
pub fn open_and_run(
    shelf: &Shelf,
    as_of: Date,
    config: &Config,
    actor: &str,
    socket: &Path,
    open: impl FnOnce() -> anyhow::Result<Book>,
) -> anyhow::Result<()> {
    let Some((page, stale)) = shelf.first_page_or_older(as_of, config) else {
        return run(open()?, as_of, socket);
    };
    let theme = Theme::detect();
    let signals = terminal::watch_signals()?;
    let mut console = Console::enter(theme.colours)?;
    let mut app = App::preview(page, config.clone(), actor, as_of, theme);
    keep_drafts(&mut app, socket);
    if let Some(day) = stale {
        // Figures of another day or before the last writes: shown, never silently.
        app.info(tr("msg-figures-stale", &[("date", &day.to_string())]));
    }
    // Opened quietly: the screen is the console's now, so repairs go to the status line.
    let (open_shelf, open_config, open_actor) = (shelf.clone(), config.clone(), actor.to_string());
    let opening = opening::Opening::start(move || {
        let mut book = open_shelf.open(open_config, &open_actor)?;
        let lines = book.summaries(as_of)?;
        Ok((book, lines))
    });
    let mut waiting = opening::Waiting::new(shelf.clone(), config.clone(), actor, opening);
    let result = wait_for_book(&mut console, &mut app, &mut waiting, &signals).and_then(|opened| {
        let Some((book, lines)) = opened else {
            return Ok(());
        };
        opening::arrived(&mut app, lines);
        memory::give_back_freed();
        let notices = [
            repair_notice(book.open_report()),
            crate::book::privacy_notice(shelf.dir(), book.open_report())
                .map(|notice| crate::i18n::say(&notice)),
        ];
        if let Some(notice) = notices.into_iter().flatten().next() {
            app.info(notice);
        }
        // Served to every other crm from now on, this console included.
        let mut backing = live::own(book, socket)?;
        // A view asked for while the book opened ("loading…") is loaded now.
        app.settle(backing.api());
        let mut watching = Some(live::Live::watch(socket, false));
        event_loop(
            &mut console,
            &mut app,
            &mut backing,
            &signals,
            &mut watching,
            &mut || None,
        )
    });
    console.leave();
    result
}

/// How often the saved page looks for the opened book between keys.
const OPENING_POLL: Duration = Duration::from_millis(25);

/// The saved page answers keys (those that need the book wait for it: `opening::Waiting`)
/// until the opening thread gives the book and the day's lines; `None` when the user quit
/// or a signal ended the console first.
fn wait_for_book(
    console: &mut Console,
    app: &mut App,
    waiting: &mut opening::Waiting,
    signals: &SignalFlags,
) -> anyhow::Result<Option<(Book, Vec<crate::domain::card::Summary>)>> {
    let stop = &signals.stop;
    let _ = event::poll(Duration::ZERO)?;
    draw(console, app)?;
    loop {
        if stop.load(Ordering::SeqCst) || app.quit {
            return Ok(None);
        }
        if let Some(opened) = waiting.take_opened() {
            return opened.map(Some);
        }
        let mut dirty = resumed(console, signals)?;
        if event::poll(OPENING_POLL)? {
            dirty |= handle(app, waiting, event::read()?);
            while !app.quit && !stop.load(Ordering::SeqCst) && event::poll(Duration::ZERO)? {
                dirty |= handle(app, waiting, event::read()?);
            }
        }
        if dirty && !app.quit && !stop.load(Ordering::SeqCst) {
            draw(console, app)?;
        }
    }
}

/// The open form is kept as the user's draft of this book (known by its socket) from the
/// first key on (also while the book is still opening), and a form a console on the same
/// book left open is offered back.
fn keep_drafts(app: &mut App, socket: &Path) {
    app.drafts.path = drafts::default_path(&app.actor, socket);
    drafts::offer(app);
}

fn repair_notice(report: &OpenReport) -> Option<String> {
    if report.rebuilt {
        Some(t("msg-index-rebuilt"))
    } else if report.cut_tail_bytes > 0 {
        Some(tr(
            "msg-tail-cut",
            &[("bytes", &report.cut_tail_bytes.to_string())],
        ))
    } else {
        None
    }
}

fn event_loop(
    console: &mut Console,
    app: &mut App,
    backing: &mut live::Backing,
    signals: &SignalFlags,
    watching: &mut Option<live::Live>,
    open: &mut dyn FnMut() -> Option<Book>,
) -> anyhow::Result<()> {
    let stop = &signals.stop;
    // Creates crossterm's input source now, so a signal from here on can wake the wait.
    let _ = event::poll(Duration::ZERO)?;
    // A suspend while the book was opening woke no input wait: its repaint is due now.
    resumed(console, signals)?;
    draw(console, app)?;
    loop {
        if stop.load(Ordering::SeqCst) || app.quit {
            return Ok(());
        }
        let mut dirty = handle(app, backing.api(), event::read()?);
        // Drain what is already queued (a paste, key repeat) and draw once for all of it.
        while !app.quit && !stop.load(Ordering::SeqCst) && event::poll(Duration::ZERO)? {
            dirty |= handle(app, backing.api(), event::read()?);
        }
        // Others' changes (the watcher woke the wait above): the screen is re-read.
        if let Some(live) = watching.as_mut() {
            dirty |= live.apply(app, backing, open);
        }
        dirty |= resumed(console, signals)?;
        if dirty && !app.quit && !stop.load(Ordering::SeqCst) {
            draw(console, app)?;
            // What a key asked for and takes a pass over the book: "loading…" is on
            // screen now, the figures follow.
            if app.settle(backing.api()) {
                draw(console, app)?;
            }
            // Others' changes: the book list follows the card drawn above.
            if watching
                .as_mut()
                .is_some_and(|live| live.settle(app, backing))
            {
                draw(console, app)?;
            }
        }
    }
}

/// Draws the App and keeps the sizes the frame laid out for the next page key.
fn draw(console: &mut Console, app: &mut App) -> std::io::Result<()> {
    let mut viewport = app.viewport;
    console.draw(|frame| viewport = view::render(app, frame))?;
    app.viewport = viewport;
    Ok(())
}

/// After a resume the screen is blank: the next draw must paint all of it.
fn resumed(console: &mut Console, signals: &SignalFlags) -> std::io::Result<bool> {
    if !signals.redraw.swap(false, Ordering::SeqCst) {
        return Ok(false);
    }
    console.invalidate()?;
    Ok(true)
}

fn handle(app: &mut App, book: &mut dyn BookApi, event: Event) -> bool {
    match event {
        // Raw mode turns the terminal's suspend key into a key: suspend as a shell job
        // would (the signal watcher restores the terminal first).
        Event::Key(key)
            if key.kind != KeyEventKind::Release
                && key.code == KeyCode::Char('z')
                && key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
            false
        }
        Event::Key(key) if key.kind != KeyEventKind::Release => app.press(key, book),
        Event::Resize(_, _) => true,
        _ => false,
    }
}

// Last in the file: tests/i18n.rs reads a file's code up to its first `cfg(test)`.
#[cfg(test)]
mod lays_out_once;
