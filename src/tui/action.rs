//! Every state change the console knows, named. Keys map to these (keymap.rs) and only
//! `update` turns them into changes.

use crate::tui::app::{SortKey, View};

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
