//! The console (`crm` with no subcommand): key -> keymap -> Msg -> update -> App -> view.
//!
//! The loop blocks on input and draws only after a change: idle costs no CPU.

pub mod accept;
pub mod action;
pub mod agenda_state;
pub mod app;
pub mod form;
pub mod keymap;
pub mod list;
pub mod pdca_state;
pub mod pdca_update;
pub mod portfolio_state;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod update;
pub mod view;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::civil::Date;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::book::Book;
pub use app::App;
use terminal::Console;
pub use theme::Theme;

/// Runs the console on `book` until the user quits or a hang-up/terminate signal arrives.
pub fn run(mut book: Book, as_of: Date) -> anyhow::Result<()> {
    // Everything that can fail slowly or loudly happens before the screen is taken.
    let mut app = App::new(&mut book, as_of, Theme::detect())?;
    let stop = terminal::watch_signals()?;
    let mut console = Console::enter()?;
    let result = event_loop(&mut console, &mut app, &mut book, &stop);
    console.leave();
    result
}

fn event_loop(
    console: &mut Console,
    app: &mut App,
    book: &mut Book,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    // Creates crossterm's input source now, so a signal from here on can wake the wait.
    let _ = event::poll(Duration::ZERO)?;
    console.draw(|frame| view::render(app, frame))?;
    loop {
        if stop.load(Ordering::SeqCst) || app.quit {
            return Ok(());
        }
        let mut dirty = handle(app, book, event::read()?);
        // Drain what is already queued (a paste, key repeat) and draw once for all of it.
        while !app.quit && !stop.load(Ordering::SeqCst) && event::poll(Duration::ZERO)? {
            dirty |= handle(app, book, event::read()?);
        }
        if dirty && !app.quit && !stop.load(Ordering::SeqCst) {
            console.draw(|frame| view::render(app, frame))?;
        }
    }
}

fn handle(app: &mut App, book: &mut Book, event: Event) -> bool {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(key, book),
        Event::Resize(_, _) => true,
        _ => false,
    }
}
