//! The real terminal. Raw mode and the alternate screen come from `ratatui::try_init` (its
//! panic hook restores the terminal); each frame is collected in memory and written with
//! one `write` inside synchronized-update sequences, so a slow SSH link never shows half a
//! frame. A list that scrolls is sent as a terminal scroll (see `scroll_backend`).
//!
//! Signals: SIGINT, SIGQUIT, SIGTERM and SIGHUP (an outside `kill`, a shutdown, a dropped
//! SSH session; in raw mode the keyboard sends none of them) end the console with the
//! terminal restored. SIGTSTP suspends it with the terminal restored for the shell, and
//! SIGCONT takes the screen back and draws it anew.

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, BeginSynchronizedUpdate, Clear, ClearType,
    EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::crossterm::{execute, queue};
use ratatui::{Frame, Terminal};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGWINCH};
use signal_hook::iterator::Signals;
use signal_hook::low_level::{emulate_default_handler, raise};

use super::colours::Colours;
use super::scroll_backend::ScrollingBackend;

/// How long the signal thread lets the main loop leave on its own before it restores the
/// terminal and exits itself: on a hung-up tty crossterm's read can spin and never return.
const GRACE: Duration = Duration::from_millis(1500);

/// Collects output; `flush` writes it to stdout in one call unless a frame is being built,
/// its colours fitted to what the terminal shows.
pub struct FrameWriter {
    buf: Vec<u8>,
    holding: Rc<Cell<bool>>,
    colours: Colours,
}

impl Write for FrameWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.holding.get() || self.buf.is_empty() {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        let result = out
            .write_all(&self.colours.fit(&self.buf))
            .and_then(|_| out.flush());
        self.buf.clear();
        result
    }
}

pub struct Console {
    terminal: Terminal<ScrollingBackend<FrameWriter>>,
    holding: Rc<Cell<bool>>,
    colours: Colours,
}

impl Console {
    /// Enters raw mode and the alternate screen; what is drawn is fitted to `colours`. The
    /// panic hook installed here runs after ratatui's restore and shows the cursor again.
    pub fn enter(colours: Colours) -> io::Result<Console> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(io::stdout(), EndSynchronizedUpdate, Show);
            previous(info);
        }));
        drop(ratatui::try_init()?);
        let holding = Rc::new(Cell::new(false));
        let writer = FrameWriter {
            buf: Vec::with_capacity(64 * 1024),
            holding: holding.clone(),
            colours,
        };
        let terminal = match ScrollingBackend::new(writer).and_then(Terminal::new) {
            Ok(terminal) => terminal,
            Err(e) => {
                ratatui::restore();
                return Err(e);
            }
        };
        Ok(Console {
            terminal,
            holding,
            colours,
        })
    }

    /// Draws one frame and sends it in a single write.
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        self.holding.set(true);
        let mut result = queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate);
        if result.is_ok() {
            result = self.terminal.draw(render).map(|_| ());
        }
        let end = queue!(self.terminal.backend_mut(), EndSynchronizedUpdate);
        self.holding.set(false);
        let flushed = self.terminal.backend_mut().flush();
        result.and(end).and(flushed)
    }

    /// Forgets what is on the screen, so the next `draw` paints all of it: after a resume
    /// the screen is blank. A fresh terminal over the same output rather than
    /// `Terminal::clear`, which asks the terminal where its cursor is and fails (ending
    /// the console) where no answer comes.
    pub fn invalidate(&mut self) -> io::Result<()> {
        let writer = FrameWriter {
            buf: Vec::with_capacity(64 * 1024),
            holding: self.holding.clone(),
            colours: self.colours,
        };
        let fresh = Terminal::new(ScrollingBackend::new(writer)?)?;
        // The old terminal may write as it goes (showing the cursor): held, never sent.
        self.holding.set(true);
        drop(std::mem::replace(&mut self.terminal, fresh));
        self.holding.set(false);
        Ok(())
    }

    /// Restores the terminal: cursor, main screen, cooked mode.
    pub fn leave(mut self) {
        let _ = self.terminal.show_cursor();
        let _ = self.terminal.backend_mut().flush();
        ratatui::restore();
    }
}

/// The signals that end the console.
const ENDING: [i32; 4] = [SIGINT, SIGQUIT, SIGTERM, SIGHUP];

/// What the signal watcher tells the main loop.
#[derive(Clone, Default)]
pub struct SignalFlags {
    /// Leave: an ending signal arrived.
    pub stop: Arc<AtomicBool>,
    /// The console was resumed: the screen must be painted anew.
    pub redraw: Arc<AtomicBool>,
}

/// Watches the ending signals and SIGTSTP/SIGCONT on a thread of its own.
///
/// An ending signal sets `stop` and wakes the input wait (crossterm listens for SIGWINCH)
/// so the loop can leave cleanly; if it has not within `GRACE`, the watcher restores the
/// terminal and exits the process itself (128 + the signal).
///
/// SIGTSTP: the terminal is restored (main screen, cursor, cooked mode) and the process
/// stopped; the watcher holds the stdout lock throughout, so the main loop cannot draw on
/// the shell's screen. When continued it takes the screen back before letting go, and
/// sets `redraw`; a SIGCONT on its own (after a SIGSTOP, which cannot be caught) does the
/// same, as the shell may have reset the terminal meanwhile.
pub fn watch_signals() -> io::Result<SignalFlags> {
    let flags = SignalFlags::default();
    let mut signals = Signals::new(ENDING.iter().chain(&[SIGTSTP, SIGCONT]))?;
    let seen = flags.clone();
    thread::Builder::new()
        .name("crm-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                match signal {
                    SIGTSTP => {
                        let mut out = io::stdout().lock();
                        restore(&mut out);
                        let _ = emulate_default_handler(SIGTSTP);
                        take_back(&mut out, &seen);
                    }
                    SIGCONT => take_back(&mut io::stdout().lock(), &seen),
                    _ => {
                        seen.stop.store(true, Ordering::SeqCst);
                        let _ = raise(SIGWINCH);
                        thread::sleep(GRACE);
                        restore(&mut io::stdout().lock());
                        std::process::exit(128 + signal);
                    }
                }
            }
        })?;
    Ok(flags)
}

/// The terminal as the shell wants it: synchronized update ended, main screen, cursor
/// shown, cooked mode.
fn restore(out: &mut impl Write) {
    let _ = execute!(out, EndSynchronizedUpdate, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

/// The terminal as the console wants it again, and a full redraw asked for.
fn take_back(out: &mut impl Write, flags: &SignalFlags) {
    let _ = enable_raw_mode();
    // Cleared too: a SIGCONT after an uncatchable SIGSTOP finds the alternate screen
    // still entered, with whatever the shell wrote meanwhile.
    let _ = execute!(out, EnterAlternateScreen, Clear(ClearType::All), Hide);
    flags.redraw.store(true, Ordering::SeqCst);
    let _ = raise(SIGWINCH);
}
