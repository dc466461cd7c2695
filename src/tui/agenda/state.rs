//! The agenda view's state: the agenda as computed for `as_of`, and one cursor over its
//! rows (follow-ups first, then actions).

use crate::domain::agenda::{Agenda, AgendaAction, AgendaFollowUp};
use crate::tui::list::Cursor;

#[derive(Debug, Default)]
pub struct AgendaState {
    /// `None` until first shown, and again after a write made it stale.
    pub agenda: Option<Agenda>,
    pub cursor: Cursor,
}

/// One line of the agenda.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AgendaRow<'a> {
    FollowUp(&'a AgendaFollowUp),
    Action(&'a AgendaAction),
}

impl AgendaRow<'_> {
    pub fn customer(&self) -> &str {
        match self {
            AgendaRow::FollowUp(f) => &f.customer,
            AgendaRow::Action(a) => &a.customer,
        }
    }
}

impl AgendaState {
    pub fn len(&self) -> usize {
        self.agenda
            .as_ref()
            .map_or(0, |a| a.follow_ups.len() + a.actions.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn row(&self, row: usize) -> Option<AgendaRow<'_>> {
        let agenda = self.agenda.as_ref()?;
        match agenda.follow_ups.get(row) {
            Some(f) => Some(AgendaRow::FollowUp(f)),
            None => agenda
                .actions
                .get(row - agenda.follow_ups.len())
                .map(AgendaRow::Action),
        }
    }

    pub fn selected(&self) -> Option<AgendaRow<'_>> {
        self.row(self.cursor.selected)
    }

    /// Replaces the agenda, keeping the cursor on the same row number where it still fits.
    pub fn set(&mut self, agenda: Agenda, height: usize) {
        self.agenda = Some(agenda);
        let len = self.len();
        self.cursor.follow(len, height);
    }
}
