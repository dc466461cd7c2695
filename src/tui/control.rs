//! The controller: a key becomes a message (keymap.rs) and the message a change (update.rs).
//! Kept out of app.rs so the model does not call the code that changes it.

use ratatui::crossterm::event::KeyEvent;

use crate::book::BookApi;
use crate::tui::app::App;
use crate::tui::{keymap, update};

impl App {
    /// Handles one key; true when the screen must be redrawn.
    pub fn handle_key(&mut self, key: KeyEvent, book: &mut dyn BookApi) -> bool {
        match keymap::resolve(self.mode(), &key) {
            Some(msg) => {
                update::update(self, msg, book);
                true
            }
            None => false,
        }
    }

    /// Feeds a key script (see `keymap::parse_keys`); for tests and demos.
    pub fn type_keys(&mut self, script: &str, book: &mut dyn BookApi) -> Result<(), String> {
        for key in keymap::parse_keys(script)? {
            self.handle_key(key, book);
        }
        Ok(())
    }
}
