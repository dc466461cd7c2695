//! The agenda view's state: the agenda as computed for `as_of`, whose it is (mine or
//! everyone's the book lets me see), whether it is being computed, and one cursor over its
//! rows, section after section (overdue, today, this week, suggested).

use crate::domain::agenda::{Agenda, AgendaAction, AgendaFollowUp};
use crate::tui::list::Cursor;

#[derive(Debug)]
pub struct AgendaState {
    /// `None` until first shown, and again after a write made it stale.
    pub agenda: Option<Agenda>,
    pub cursor: Cursor,
    /// Only the console user's customers (the default), else everyone's the book shows
    /// this user (the server applies the role's limits).
    pub mine: bool,
    /// Asked for and not computed yet: the screen says so until it is.
    pub loading: bool,
}

impl Default for AgendaState {
    fn default() -> Self {
        AgendaState {
            agenda: None,
            cursor: Cursor::default(),
            mine: true,
            loading: false,
        }
    }
}

/// The agenda's sections, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overdue,
    Today,
    ThisWeek,
    Suggested,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Overdue,
        Section::Today,
        Section::ThisWeek,
        Section::Suggested,
    ];
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

    pub fn name(&self) -> &str {
        match self {
            AgendaRow::FollowUp(f) => &f.name,
            AgendaRow::Action(a) => &a.name,
        }
    }
}

/// A section's rows as the agenda holds them, and how many there are in all.
pub fn section(agenda: &Agenda, section: Section) -> (Vec<AgendaRow<'_>>, usize) {
    fn follow_ups(list: &[AgendaFollowUp]) -> Vec<AgendaRow<'_>> {
        list.iter().map(AgendaRow::FollowUp).collect()
    }
    match section {
        // `follow_ups` holds the overdue ones first (earliest due first), then today's.
        Section::Overdue => (
            agenda
                .follow_ups
                .iter()
                .filter(|f| f.days_overdue > 0)
                .map(AgendaRow::FollowUp)
                .collect(),
            agenda.overdue_total,
        ),
        Section::Today => (follow_ups(&agenda.today), agenda.today_total),
        Section::ThisWeek => (follow_ups(&agenda.this_week), agenda.this_week_total),
        Section::Suggested => (
            agenda.actions.iter().map(AgendaRow::Action).collect(),
            agenda.actions_total,
        ),
    }
}

impl AgendaState {
    /// Every selectable row, section after section.
    pub fn rows(&self) -> Vec<(Section, AgendaRow<'_>)> {
        let Some(agenda) = self.agenda.as_ref() else {
            return Vec::new();
        };
        Section::ALL
            .iter()
            .flat_map(|&s| section(agenda, s).0.into_iter().map(move |row| (s, row)))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.rows().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn row(&self, row: usize) -> Option<AgendaRow<'_>> {
        self.rows().get(row).map(|(_, r)| *r)
    }

    pub fn selected(&self) -> Option<AgendaRow<'_>> {
        self.row(self.cursor.selected)
    }

    /// Replaces the agenda, keeping the cursor on the same row number where it still fits.
    pub fn set(&mut self, agenda: Agenda, height: usize) {
        self.agenda = Some(agenda);
        self.loading = false;
        let len = self.len();
        self.cursor.follow(len, height);
    }

    /// Forgets the agenda (a write or a refresh made it stale); it is asked for again when
    /// shown.
    pub fn forget(&mut self) {
        self.agenda = None;
    }
}
