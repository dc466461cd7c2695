//! The real terminal. Raw mode and the alternate screen come from `ratatui::try_init` (its
//! panic hook restores the terminal); each frame is collected in memory and written with
//! one `write` inside synchronized-update sequences, so a slow SSH link never shows half a
//! frame. A list that scrolls is sent as a terminal scroll (see `scroll_backend`). SIGHUP
//! and SIGTERM (a dropped SSH session, a shutdown) end the console.

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::terminal::{
    disable_raw_mode, BeginSynchronizedUpdate, EndSynchronizedUpdate, LeaveAlternateScreen,
};
use ratatui::crossterm::{execute, queue};
use ratatui::{Frame, Terminal};
use signal_hook::consts::{SIGHUP, SIGTERM, SIGWINCH};
use signal_hook::iterator::Signals;

use super::scroll_backend::ScrollingBackend;

/// How long the signal thread lets the main loop leave on its own before it restores the
/// terminal and exits itself: on a hung-up tty crossterm's read can spin and never return.
const GRACE: Duration = Duration::from_millis(1500);

/// Collects output; `flush` writes it to stdout in one call unless a frame is being built.
pub struct FrameWriter {
    buf: Vec<u8>,
    holding: Rc<Cell<bool>>,
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
        let result = out.write_all(&self.buf).and_then(|_| out.flush());
        self.buf.clear();
        result
    }
}

pub struct Console {
    terminal: Terminal<ScrollingBackend<FrameWriter>>,
    holding: Rc<Cell<bool>>,
}

impl Console {
    /// Enters raw mode and the alternate screen. The panic hook installed here runs after
    /// ratatui's restore and shows the cursor again.
    pub fn enter() -> io::Result<Console> {
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
        };
        let terminal = match ScrollingBackend::new(writer).and_then(Terminal::new) {
            Ok(terminal) => terminal,
            Err(e) => {
                ratatui::restore();
                return Err(e);
            }
        };
        Ok(Console { terminal, holding })
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

    /// Restores the terminal: cursor, main screen, cooked mode.
    pub fn leave(mut self) {
        let _ = self.terminal.show_cursor();
        let _ = self.terminal.backend_mut().flush();
        ratatui::restore();
    }
}

/// Watches SIGHUP and SIGTERM. The returned flag is set when one arrives; the watcher then
/// wakes the input wait (crossterm listens for SIGWINCH) so the loop can leave cleanly,
/// and if it has not within `GRACE`, restores the terminal and exits the process itself.
pub fn watch_signals() -> io::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut signals = Signals::new([SIGHUP, SIGTERM])?;
    let flag = stop.clone();
    thread::Builder::new()
        .name("crm-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                flag.store(true, Ordering::SeqCst);
                let _ = signal_hook::low_level::raise(SIGWINCH);
                thread::sleep(GRACE);
                let _ = disable_raw_mode();
                let _ = execute!(
                    io::stdout(),
                    EndSynchronizedUpdate,
                    LeaveAlternateScreen,
                    Show
                );
                std::process::exit(128 + signal);
            }
        })?;
    Ok(stop)
}
