//! An open customer card: the card and where the reader is in it.

use jiff::Timestamp;

use crate::domain::card::Card;
use crate::domain::model::Interaction;
use crate::tui::document::{Layouts, Reading};

/// A thing on the card the cursor can rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Action(usize),
    Task(usize),
    Contact(usize),
    Cycle(usize),
}

/// An open customer card; `reading.cursor` indexes `items()`.
#[derive(Debug, Clone)]
pub struct CardState {
    pub card: Card,
    /// The selected item and the first line shown.
    pub reading: Reading,
    /// The card laid out, per width (`card/doc.rs`); `replace_card` forgets it.
    pub layouts: Layouts<u16>,
    /// The corrected contacts whose earlier versions are shown (`v`), by time and author.
    pub versions_shown: Vec<(Timestamp, String)>,
}

impl CardState {
    pub fn new(card: Card) -> CardState {
        CardState {
            card,
            reading: Reading::default(),
            layouts: Layouts::default(),
            versions_shown: Vec::new(),
        }
    }

    /// Shows or hides the earlier versions of a corrected contact.
    pub fn toggle_versions(&mut self, contact: &Interaction) {
        let key = (contact.at, contact.author.clone());
        match self.versions_shown.iter().position(|k| *k == key) {
            Some(at) => {
                self.versions_shown.remove(at);
            }
            None => self.versions_shown.push(key),
        }
        self.layouts.forget();
    }

    /// Whether the earlier versions of `contact` are shown.
    pub fn shows_versions(&self, contact: &Interaction) -> bool {
        self.versions_shown
            .iter()
            .any(|(at, author)| *at == contact.at && *author == contact.author)
    }

    /// The card read again after a write; the reader stays where they were.
    pub fn replace_card(&mut self, card: Card) {
        self.card = card;
        self.layouts.forget();
    }

    /// The selectable things in the order they are drawn.
    pub fn items(&self) -> Vec<Item> {
        let c = &self.card;
        (0..c.next_actions.len())
            .map(Item::Action)
            .chain((0..c.open_tasks.len()).map(Item::Task))
            .chain((0..c.recent_interactions.len()).map(Item::Contact))
            .chain((0..c.cycles.len()).map(Item::Cycle))
            .collect()
    }

    /// Selects `contact` (the contact with its time and author, in whatever version): after
    /// a correction the tasks above it can be one more or one fewer, so its position moves.
    pub fn select_contact(&mut self, contact: &Interaction) {
        let found = self.items().iter().position(|item| {
            matches!(item, Item::Contact(i)
                if self.card.recent_interactions[*i].same_contact(contact))
        });
        if let Some(at) = found {
            self.reading.cursor = at;
        }
    }

    pub fn current(&self) -> Option<Item> {
        self.items().get(self.reading.cursor).copied()
    }
}
