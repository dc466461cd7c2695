//! The console's vocabulary, in one file that imports nothing of the console: the screens
//! (`View`), where a key is pressed (`Mode`), the list orders (`SortKey`) and every state
//! change, named (`Msg`). Keys map to messages (keymap.rs) and only `update` turns them
//! into changes; every other file of the console may use these words without a circle.

use crate::i18n::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Book,
    Agenda,
    Portfolio,
    Pdca,
}

impl View {
    pub const ALL: [View; 4] = [View::Book, View::Agenda, View::Portfolio, View::Pdca];

    pub fn title(self) -> String {
        t(match self {
            View::Book => "view-book",
            View::Agenda => "view-agenda",
            View::Portfolio => "view-portfolio",
            View::Pdca => "view-pdca",
        })
    }

    /// Where its keys are read (with no card, page, form or palette over it).
    pub fn mode(self) -> Mode {
        match self {
            View::Book => Mode::Book,
            View::Agenda => Mode::Agenda,
            View::Portfolio => Mode::Portfolio,
            View::Pdca => Mode::Pdca,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Value,
    LastContact,
    Urgency,
}

impl SortKey {
    pub fn title(self) -> String {
        t(match self {
            SortKey::Name => "sort-name",
            SortKey::Value => "sort-value",
            SortKey::LastContact => "sort-last-contact",
            SortKey::Urgency => "sort-urgency",
        })
    }
}

/// The find palette: the query and the hits of the last keystroke.
/// Where a key is pressed. `Global` bindings apply in every view mode (not in text entry,
/// help or confirmations) unless the view's own table binds the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Global,
    Book,
    Card,
    Agenda,
    Portfolio,
    Pdca,
    /// One PDCA cycle's page, over the review list or a card.
    Cycle,
    Find,
    Form,
    /// A form's picker, its list open.
    Pick,
    Confirm,
    Help,
}

impl Mode {
    pub fn title(self) -> String {
        t(match self {
            Mode::Global => "mode-global",
            Mode::Book => "mode-book",
            Mode::Card => "mode-card",
            Mode::Agenda => "mode-agenda",
            Mode::Portfolio => "mode-portfolio",
            Mode::Pdca => "mode-pdca",
            Mode::Cycle => "mode-cycle",
            Mode::Find => "mode-find",
            Mode::Form => "mode-form",
            Mode::Pick => "mode-pick",
            Mode::Confirm => "mode-confirm",
            Mode::Help => "mode-help",
        })
    }

    /// View modes fall back to the global table; entry modes take printable keys as text.
    pub(crate) fn uses_global(self) -> bool {
        matches!(
            self,
            Mode::Book | Mode::Card | Mode::Agenda | Mode::Portfolio | Mode::Pdca | Mode::Cycle
        )
    }

    pub(crate) fn takes_text(self) -> bool {
        matches!(self, Mode::Find | Mode::Form | Mode::Pick)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Quit,
    Show(View),
    OpenFind,
    ToggleHelp,
    /// Esc: close the top layer (asks first when typed input would be lost).
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the selection.
    Open,
    /// Log a contact for the customer in view or under the cursor.
    Log,
    CycleStage,
    CycleTier,
    CycleLevel,
    CycleOwner,
    ClearFilters,
    Sort(SortKey),
    AddCustomer,
    /// Accept the selected next-best-action (a task, or the contact form pre-filled).
    Accept,
    EditProfile,
    AddBond,
    EndBond,
    AddOrder,
    MarkLost,
    TaskDone,
    Snooze,
    SnoozeWeek,
    /// The agenda: only my customers, or everyone's the book lets me see.
    ToggleMine,
    /// Tab / S-Tab on the agenda: the first row of the next (previous) section that has
    /// rows, so Today is one key away however many follow-ups are overdue.
    NextSection,
    PrevSection,
    Refresh,
    Input(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    NextField,
    PrevField,
    Newline,
    ClearInput,
    Save,
    /// Take back the last contact logged in this console (asks first).
    Undo,
    /// The card: the log form filled with the selected contact, to correct it.
    CorrectContact,
    /// The card: show or hide what the selected corrected contact said before.
    ShowVersions,
    /// The log form: inbound <-> outbound in one key.
    FlipDirection,
    Yes,
    No,
    /// A PDCA review action (view `4`, the cycle page, the card's cycles).
    Pdca(PdcaMsg),
}

/// What can be done to improvement cycles from the console; every write goes through the
/// Book's cycle methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdcaMsg {
    /// Open the new-cycle form, its scope taken from what is on screen.
    New,
    /// Open the form that adds an action to the cycle in view.
    AddAction,
    /// Move the cycle one phase on (plan -> do -> check -> act).
    Advance,
    /// Do -> check: measure the goal metric now and judge it against the target.
    Check,
    /// Open the act form: standardise, adjust (opens the next cycle) or abandon.
    Act,
    /// Open the plan edit form: target, check date, notes, lessons.
    EditPlan,
    /// Open the card of the customer a cycle is scoped to.
    OpenCustomer,
}
