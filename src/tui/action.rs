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
}
