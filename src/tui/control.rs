//! The controller: a key becomes a message (keymap.rs) and the message a change (update.rs).
//! Kept out of app.rs so the model does not call the code that changes it.

use ratatui::crossterm::event::KeyEvent;

use crate::book::BookApi;
use crate::tui::app::App;
use crate::tui::vocab::Msg;
use crate::tui::{keymap, navigate, update};

impl App {
    /// Handles one key and computes what it asked for; true when the screen must be
    /// redrawn.
    pub fn handle_key(&mut self, key: KeyEvent, book: &mut dyn BookApi) -> bool {
        let changed = self.press(key, book);
        self.settle(book) || changed
    }

    /// Handles one key, leaving a slow figure it asked for marked as loading (the loop
    /// draws that, then calls `settle`); true when the screen must be redrawn.
    pub fn press(&mut self, key: KeyEvent, book: &mut dyn BookApi) -> bool {
        match keymap::resolve(self.mode(), &key) {
            // Nothing is on screen but the "too small" notice: a key would act unseen.
            Some(msg) if self.viewport.too_small && msg != Msg::Quit => false,
            Some(msg) => {
                update::update(self, msg, book);
                true
            }
            None => false,
        }
    }

    /// Computes the figures a key marked as loading; true when something was computed.
    pub fn settle(&mut self, book: &mut dyn BookApi) -> bool {
        navigate::settle(self, book)
    }

    /// Feeds a key script (see `keymap::parse_keys`); for tests and demos.
    pub fn type_keys(&mut self, script: &str, book: &mut dyn BookApi) -> Result<(), String> {
        for key in keymap::parse_keys(script)? {
            self.handle_key(key, book);
        }
        Ok(())
    }
}
