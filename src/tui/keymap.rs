//! Keys as data: one table of (mode, key, message, help). Resolution and the help screen
//! both read this table, so help can never disagree with what a key does.

use std::sync::LazyLock;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

pub use crate::tui::vocab::Mode;
use crate::tui::vocab::{Msg, PdcaMsg, SortKey, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// How the key is written in help and hints.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub mode: Mode,
    pub key: Key,
    pub msg: Msg,
    /// The message key of what the key does (`i18n::t` gives the text).
    pub help: &'static str,
    /// Shown in the one-line hint bar at the bottom of the screen.
    pub hint: bool,
}

/// The table: one row per message in a mode, its keys (`'j' | Down`: the first is the one
/// the hint bar shows when the row ends in `hint`) and its help text, once.
macro_rules! table {
    ($( $mode:ident: $($key:tt)|+ => $msg:expr, $help:literal $(, $hint:ident)?; )*) => {
        &[$(Row {
            mode: Mode::$mode,
            keys: &[$(key!($key)),+],
            msg: $msg,
            help: $help,
            hint: hint!($($hint)?),
        }),*]
    };
}

macro_rules! key {
    ($c:literal) => {
        Key::ch($c)
    };
    ($name:ident) => {
        named::$name
    };
}

macro_rules! hint {
    () => {
        false
    };
    (hint) => {
        true
    };
}

/// The keys without a character of their own, by the names the table uses.
#[allow(non_upper_case_globals)]
mod named {
    use super::Key;
    use ratatui::crossterm::event::KeyCode;

    pub const BackTab: Key = Key::plain(KeyCode::BackTab);
    pub const Backspace: Key = Key::plain(KeyCode::Backspace);
    pub const Delete: Key = Key::plain(KeyCode::Delete);
    pub const Down: Key = Key::plain(KeyCode::Down);
    pub const End: Key = Key::plain(KeyCode::End);
    pub const Enter: Key = Key::plain(KeyCode::Enter);
    pub const Esc: Key = Key::plain(KeyCode::Esc);
    pub const Home: Key = Key::plain(KeyCode::Home);
    pub const Left: Key = Key::plain(KeyCode::Left);
    pub const PageDown: Key = Key::plain(KeyCode::PageDown);
    pub const PageUp: Key = Key::plain(KeyCode::PageUp);
    pub const Right: Key = Key::plain(KeyCode::Right);
    pub const Tab: Key = Key::plain(KeyCode::Tab);
    pub const Up: Key = Key::plain(KeyCode::Up);
    pub const CtrlC: Key = Key::ctrl('c');
    pub const CtrlD: Key = Key::ctrl('d');
    pub const CtrlK: Key = Key::ctrl('k');
    pub const CtrlN: Key = Key::ctrl('n');
    pub const CtrlP: Key = Key::ctrl('p');
    pub const CtrlS: Key = Key::ctrl('s');
    pub const CtrlU: Key = Key::ctrl('u');
}

/// One row of the table: what `keys` do in `mode`.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub mode: Mode,
    pub keys: &'static [Key],
    pub msg: Msg,
    /// The message key of what the keys do (`i18n::t` gives the text).
    pub help: &'static str,
    /// The first key is shown in the one-line hint bar at the bottom of the screen.
    pub hint: bool,
}

#[rustfmt::skip]
pub const ROWS: &[Row] = table! {
    // Everywhere a view is shown.
    Global: '/' | CtrlK => Msg::OpenFind, "help-find-a-customer", hint;
    Global: '1' => Msg::Show(View::Book), "help-book-every-customer";
    Global: '2' => Msg::Show(View::Agenda), "help-agenda-follow-ups-and-actions";
    Global: '3' => Msg::Show(View::Portfolio), "help-portfolio-figures";
    Global: '4' => Msg::Show(View::Pdca), "help-pdca-cycles";
    Global: 'j' | Down => Msg::Down, "help-move-down";
    Global: 'k' | Up => Msg::Up, "help-move-up";
    Global: PageDown => Msg::PageDown, "help-page-down";
    Global: PageUp => Msg::PageUp, "help-page-up";
    Global: 'g' | Home => Msg::Top, "help-go-to-the-top";
    Global: 'G' | End => Msg::Bottom, "help-go-to-the-bottom";
    Global: '?' => Msg::ToggleHelp, "help-help-keys-of-this-view", hint;
    Global: 'U' => Msg::Undo, "help-undo-the-last-contact";
    Global: Esc => Msg::Back, "help-back-to-the-book";
    Global: 'q' | CtrlC => Msg::Quit, "help-quit", hint;
    // Book list.
    Book: Enter => Msg::Open, "help-open-the-customer-s-card", hint;
    Book: 'l' => Msg::Log, "help-log-a-contact", hint;
    Book: 's' => Msg::CycleStage, "help-filter-by-stage-cycles", hint;
    Book: 't' => Msg::CycleTier, "help-filter-by-tier-cycles", hint;
    Book: 'v' => Msg::CycleLevel, "help-filter-by-level-cycles", hint;
    Book: 'o' => Msg::CycleOwner, "help-filter-by-owner-cycles", hint;
    Book: 'x' => Msg::ClearFilters, "help-clear-every-filter", hint;
    Book: 'n' => Msg::Sort(SortKey::Name), "help-sort-by-name-again-reverse", hint;
    Book: 'm' => Msg::Sort(SortKey::Value), "help-sort-by-value-crv-again-reverse", hint;
    Book: 'c' => Msg::Sort(SortKey::LastContact), "help-sort-by-last-contact-oldest-first", hint;
    Book: 'u' => Msg::Sort(SortKey::Urgency), "help-sort-by-urgency-earliest-due-first", hint;
    Book: 'a' => Msg::AddCustomer, "help-add-a-customer", hint;
    Book: 'R' => Msg::Refresh, "help-recompute-the-book";
    Book: Esc => Msg::Back, "help-back-to-the-portfolio-from-its-list";
    // Card.
    Card: Esc | 'q' => Msg::Back, "help-back", hint;
    Card: Enter => Msg::Open, "help-accept-the-action-mark-the-task";
    Card: 'a' => Msg::Accept, "help-accept-the-selected-next-best-action", hint;
    Card: 'l' => Msg::Log, "help-log-a-contact", hint;
    Card: 'c' => Msg::CorrectContact, "help-correct-the-selected-contact", hint;
    Card: 'd' => Msg::TaskDone, "help-mark-the-selected-task-done", hint;
    Card: 'z' => Msg::Snooze, "help-snooze-the-selected-task-a-day";
    Card: 'e' => Msg::EditProfile, "help-edit-profile-and-contact-persons", hint;
    Card: 'b' => Msg::AddBond, "help-add-a-bond", hint;
    Card: 'B' => Msg::EndBond, "help-end-a-bond";
    Card: 'o' => Msg::AddOrder, "help-add-an-order", hint;
    Card: 'L' => Msg::MarkLost, "help-mark-lost-or-won-back";
    Card: 'v' => Msg::ShowVersions, "help-show-earlier-versions-of-the-contact";
    Card: 'N' => Msg::Pdca(PdcaMsg::New), "help-plan-a-pdca-cycle-for-this";
    // Agenda.
    Agenda: Enter => Msg::Open, "help-open-the-customer-s-card", hint;
    Agenda: 'd' => Msg::TaskDone, "help-mark-the-follow-up-done", hint;
    Agenda: 'z' => Msg::Snooze, "help-snooze-a-day", hint;
    Agenda: 'Z' => Msg::SnoozeWeek, "help-snooze-a-week", hint;
    Agenda: 'a' => Msg::Accept, "help-accept-the-action", hint;
    Agenda: 'l' => Msg::Log, "help-log-a-contact", hint;
    Agenda: 'o' => Msg::ToggleMine, "help-agenda-mine-or-everyone", hint;
    Agenda: Tab => Msg::NextSection, "help-agenda-next-section", hint;
    Agenda: BackTab => Msg::PrevSection, "help-agenda-previous-section";
    Agenda: 'R' => Msg::Refresh, "help-recompute-the-agenda";
    // Portfolio.
    Portfolio: Enter => Msg::Open, "help-list-the-customers-of-the-row", hint;
    Portfolio: 'R' => Msg::Refresh, "help-recompute-the-figures", hint;
    // PDCA.
    Pdca: Enter => Msg::Open, "help-open-the-cycle-plan-actions-metric", hint;
    Pdca: 'N' => Msg::Pdca(PdcaMsg::New), "help-plan-a-new-cycle", hint;
    Pdca: 'o' => Msg::Pdca(PdcaMsg::OpenCustomer), "help-open-the-customer-s-card-customer", hint;
    Pdca: 'R' => Msg::Refresh, "help-reload-the-cycles";
    // A cycle's page.
    Cycle: Esc | 'q' => Msg::Back, "help-back", hint;
    Cycle: Enter => Msg::Open, "help-mark-the-action-done-open-the";
    Cycle: 'a' => Msg::Pdca(PdcaMsg::AddAction), "help-add-an-action", hint;
    Cycle: 'd' => Msg::TaskDone, "help-action-done-mark-the-selected-one", hint;
    Cycle: '>' => Msg::Pdca(PdcaMsg::Advance), "help-advance-the-next-phase-in-do", hint;
    Cycle: 'c' => Msg::Pdca(PdcaMsg::Check), "help-check-measure-now-against-the-target", hint;
    Cycle: 'x' => Msg::Pdca(PdcaMsg::Act), "help-act-standardise-adjust-next-cycle-or", hint;
    Cycle: 'e' => Msg::Pdca(PdcaMsg::EditPlan), "help-edit-target-check-date-notes-lessons", hint;
    Cycle: 'N' => Msg::Pdca(PdcaMsg::New), "help-plan-a-new-cycle-in-the";
    Cycle: 'o' => Msg::Pdca(PdcaMsg::OpenCustomer), "help-open-the-scoped-customer-s-card";
    Cycle: 'R' => Msg::Refresh, "help-reload-the-cycle-and-measure-again";
    // Find palette.
    Find: Enter => Msg::Open, "help-open-the-card", hint;
    Find: Esc | CtrlC => Msg::Back, "help-close", hint;
    Find: Down | CtrlN => Msg::Down, "help-next-result", hint;
    Find: Up | CtrlP => Msg::Up, "help-previous-result", hint;
    Find: Backspace => Msg::Backspace, "help-delete-back";
    Find: Delete => Msg::Delete, "help-delete-forward";
    Find: Left => Msg::Left, "help-cursor-left";
    Find: Right => Msg::Right, "help-cursor-right";
    Find: Home => Msg::Home, "help-start-of-the-query";
    Find: End => Msg::End, "help-end-of-the-query";
    Find: CtrlU => Msg::ClearInput, "help-clear-the-query", hint;
    // Forms (log a contact, edits).
    Form: CtrlS => Msg::Save, "help-save", hint;
    Form: CtrlD => Msg::FlipDirection, "help-flip-inbound-outbound";
    Form: Esc => Msg::Back, "help-cancel-asks-first", hint;
    Form: Tab | Down => Msg::NextField, "help-next-field", hint;
    Form: BackTab | Up => Msg::PrevField, "help-previous-field";
    Form: Left => Msg::Left, "help-cursor-left-previous-choice", hint;
    Form: Right => Msg::Right, "help-cursor-right-next-choice";
    Form: Home => Msg::Home, "help-start-of-the-field";
    Form: End => Msg::End, "help-end-of-the-field";
    Form: Backspace => Msg::Backspace, "help-delete-back";
    Form: Delete => Msg::Delete, "help-delete-forward";
    Form: Enter => Msg::Newline, "help-new-line-in-the-note-next";
    Form: CtrlU => Msg::ClearInput, "help-clear-the-field";
    // A form's picker, its list open (owner, scope, reason).
    Pick: Enter => Msg::Open, "help-pick-the-value", hint;
    Pick: Esc => Msg::Back, "help-pick-close", hint;
    Pick: Down | CtrlN => Msg::Down, "help-pick-next", hint;
    Pick: Up | CtrlP => Msg::Up, "help-pick-previous";
    Pick: Backspace => Msg::Backspace, "help-delete-back";
    Pick: Delete => Msg::Delete, "help-delete-forward";
    Pick: Left => Msg::Left, "help-cursor-left";
    Pick: Right => Msg::Right, "help-cursor-right";
    Pick: Home => Msg::Home, "help-pick-start-of-the-filter";
    Pick: End => Msg::End, "help-pick-end-of-the-filter";
    Pick: CtrlU => Msg::ClearInput, "help-pick-clear-the-filter", hint;
    // Confirmations.
    Confirm: 'y' => Msg::Yes, "help-yes", hint;
    Confirm: 'n' | Esc => Msg::No, "help-no", hint;
    // Help.
    Help: Esc | '?' | 'q' => Msg::ToggleHelp, "help-close-help", hint;
    Help: 'j' | Down => Msg::Down, "help-scroll-down";
    Help: 'k' | Up => Msg::Up, "help-scroll-up";
};

/// The table one key at a time, in its order: what resolution and the help screen read.
pub static BINDINGS: LazyLock<Vec<Binding>> = LazyLock::new(|| {
    ROWS.iter()
        .flat_map(|row| {
            row.keys.iter().enumerate().map(|(i, &key)| Binding {
                mode: row.mode,
                key,
                msg: row.msg,
                help: row.help,
                hint: row.hint && i == 0,
            })
        })
        .collect()
});

fn normalise(event: &KeyEvent) -> Key {
    // Terminals report Shift with upper-case letters and symbols inconsistently; the
    // character already carries the shift, so only Control and Alt count for chars (Alt
    // keeps Alt-q from acting as q).
    let mods = match event.code {
        KeyCode::Char(_) => event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT),
        _ => event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT),
    };
    let code = match (event.code, mods.contains(KeyModifiers::CONTROL)) {
        (KeyCode::Char(c), true) => KeyCode::Char(c.to_ascii_lowercase()),
        (code, _) => code,
    };
    Key { code, mods }
}

/// What a key does in a mode; `None` when it does nothing there.
pub fn resolve(mode: Mode, event: &KeyEvent) -> Option<Msg> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let key = normalise(event);
    let own = BINDINGS
        .iter()
        .find(|binding| binding.mode == mode && binding.key == key);
    if let Some(binding) = own {
        return Some(binding.msg);
    }
    if mode.takes_text() {
        if let KeyCode::Char(c) = key.code {
            if key.mods.is_empty() && !c.is_control() {
                return Some(Msg::Input(c));
            }
        }
        return None;
    }
    if mode.uses_global() {
        return BINDINGS
            .iter()
            .find(|binding| binding.mode == Mode::Global && binding.key == key)
            .map(|binding| binding.msg);
    }
    None
}

/// One line of help: the keys that do the same thing, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub keys: Vec<String>,
    pub help: &'static str,
}

/// The keys of `mode` (then the global ones it does not override), grouped by action.
pub fn help(mode: Mode) -> Vec<HelpLine> {
    let mut lines: Vec<HelpLine> = Vec::new();
    let mut add = |binding: &Binding| {
        if let Some(line) = lines.iter_mut().find(|l| l.help == binding.help) {
            line.keys.push(binding.key.label());
        } else {
            lines.push(HelpLine {
                keys: vec![binding.key.label()],
                help: binding.help,
            });
        }
    };
    let own: Vec<&Binding> = BINDINGS.iter().filter(|b| b.mode == mode).collect();
    for binding in &own {
        add(binding);
    }
    if mode.uses_global() {
        for binding in BINDINGS.iter().filter(|b| b.mode == Mode::Global) {
            if own.iter().all(|o| o.key != binding.key) {
                add(binding);
            }
        }
    }
    if mode.takes_text() {
        lines.push(HelpLine {
            keys: vec!["any key".into()],
            help: "types into the field",
        });
    }
    lines
}

/// The short key hints for the bottom bar: `(key, help)` pairs marked as hints.
pub fn hints(mode: Mode) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = BINDINGS
        .iter()
        .filter(|b| b.mode == mode && b.hint)
        .map(|b| (b.key.label(), b.help))
        .collect();
    if mode.uses_global() {
        out.extend(
            BINDINGS
                .iter()
                .filter(|b| b.mode == Mode::Global && b.hint)
                .filter(|g| BINDINGS.iter().all(|o| o.mode != mode || o.key != g.key))
                .map(|b| (b.key.label(), b.help)),
        );
    }
    out
}

/// Parses a key script for tests and demos: plain characters type themselves; `<Enter>`,
/// `<Esc>`, `<Tab>`, `<S-Tab>`, `<BS>`, `<Del>`, `<Up>`, `<Down>`, `<Left>`, `<Right>`,
/// `<PgUp>`, `<PgDn>`, `<Home>`, `<End>`, `<Space>`, `<lt>` and `<C-x>` name the others.
pub fn parse_keys(script: &str) -> Result<Vec<KeyEvent>, String> {
    let mut out = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c != '<' {
            out.push(key_event(KeyCode::Char(c), KeyModifiers::NONE));
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let Some(end) = rest.find('>') else {
            return Err(format!("unclosed '<' in key script at: {rest}"));
        };
        let name = &rest[1..end];
        rest = &rest[end + 1..];
        let (code, mods) = match name {
            "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
            "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
            "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
            "S-Tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
            "BS" => (KeyCode::Backspace, KeyModifiers::NONE),
            "Del" => (KeyCode::Delete, KeyModifiers::NONE),
            "Up" => (KeyCode::Up, KeyModifiers::NONE),
            "Down" => (KeyCode::Down, KeyModifiers::NONE),
            "Left" => (KeyCode::Left, KeyModifiers::NONE),
            "Right" => (KeyCode::Right, KeyModifiers::NONE),
            "PgUp" => (KeyCode::PageUp, KeyModifiers::NONE),
            "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
            "Home" => (KeyCode::Home, KeyModifiers::NONE),
            "End" => (KeyCode::End, KeyModifiers::NONE),
            "Space" => (KeyCode::Char(' '), KeyModifiers::NONE),
            "lt" => (KeyCode::Char('<'), KeyModifiers::NONE),
            ctrl if ctrl.starts_with("C-") && ctrl.chars().count() == 3 => {
                let c = ctrl.chars().nth(2).unwrap_or(' ');
                (KeyCode::Char(c), KeyModifiers::CONTROL)
            }
            other => return Err(format!("unknown key <{other}> in key script")),
        };
        out.push(key_event(code, mods));
    }
    Ok(out)
}

fn key_event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent {
        code,
        modifiers,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Alternate keys share one row: a message's help text is written once per mode.
    #[test]
    fn each_message_has_one_row_per_mode() {
        for (i, a) in ROWS.iter().enumerate() {
            for b in &ROWS[i + 1..] {
                assert!(
                    !(a.mode == b.mode && a.msg == b.msg && a.help == b.help),
                    "{:?} {:?}: join the rows as `{} | {}`",
                    a.mode,
                    a.msg,
                    a.keys[0].label(),
                    b.keys[0].label()
                );
            }
        }
    }

    fn one(script: &str) -> KeyEvent {
        let keys = parse_keys(script).unwrap();
        assert_eq!(keys.len(), 1, "{script}");
        keys[0]
    }

    #[test]
    fn view_keys_fall_back_to_global() {
        assert_eq!(resolve(Mode::Book, &one("/")), Some(Msg::OpenFind));
        assert_eq!(resolve(Mode::Card, &one("<C-k>")), Some(Msg::OpenFind));
        assert_eq!(resolve(Mode::Book, &one("j")), Some(Msg::Down));
        assert_eq!(
            resolve(Mode::Book, &one("2")),
            Some(Msg::Show(View::Agenda))
        );
    }

    #[test]
    fn a_view_overrides_a_global_key() {
        assert_eq!(resolve(Mode::Book, &one("q")), Some(Msg::Quit));
        assert_eq!(resolve(Mode::Card, &one("q")), Some(Msg::Back));
    }

    #[test]
    fn text_modes_type_printable_keys() {
        assert_eq!(resolve(Mode::Find, &one("j")), Some(Msg::Input('j')));
        assert_eq!(resolve(Mode::Find, &one("q")), Some(Msg::Input('q')));
        assert_eq!(resolve(Mode::Form, &one("上")), Some(Msg::Input('上')));
        assert_eq!(resolve(Mode::Form, &one("<C-s>")), Some(Msg::Save));
        assert_eq!(resolve(Mode::Find, &one("<C-n>")), Some(Msg::Down));
    }

    #[test]
    fn confirm_takes_only_its_keys() {
        assert_eq!(resolve(Mode::Confirm, &one("y")), Some(Msg::Yes));
        assert_eq!(resolve(Mode::Confirm, &one("q")), None);
    }

    #[test]
    fn upper_case_letters_keep_their_shift() {
        let mut event = one("G");
        event.modifiers = KeyModifiers::SHIFT;
        assert_eq!(resolve(Mode::Book, &event), Some(Msg::Bottom));
        let mut ctrl_upper = one("<C-k>");
        ctrl_upper.code = KeyCode::Char('K');
        assert_eq!(resolve(Mode::Book, &ctrl_upper), Some(Msg::OpenFind));
    }

    #[test]
    fn alt_letters_are_not_plain_letters() {
        let mut event = one("q");
        event.modifiers = KeyModifiers::ALT;
        assert_eq!(resolve(Mode::Book, &event), None);
        assert_eq!(resolve(Mode::Find, &event), None);
    }

    #[test]
    fn release_events_do_nothing() {
        let mut event = one("j");
        event.kind = KeyEventKind::Release;
        assert_eq!(resolve(Mode::Book, &event), None);
    }

    #[test]
    fn help_groups_keys_and_keeps_overrides_out() {
        let lines = help(Mode::Card);
        let back = lines.iter().find(|l| l.help == "help-back").unwrap();
        assert_eq!(back.keys, vec!["Esc", "q"]);
        let quit = lines.iter().find(|l| l.help == "help-quit").unwrap();
        assert_eq!(quit.keys, vec!["Ctrl-C"], "q is 'back' on a card");
        let find = lines
            .iter()
            .find(|l| l.help == "help-find-a-customer")
            .unwrap();
        assert_eq!(find.keys, vec!["/", "Ctrl-K"]);
    }

    #[test]
    fn every_binding_is_unique_per_mode() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for other in &BINDINGS[i + 1..] {
                assert!(
                    !(a.mode == other.mode && a.key == other.key),
                    "{:?} {:?} bound twice",
                    a.mode,
                    a.key
                );
            }
        }
    }

    #[test]
    fn parse_keys_names() {
        let keys = parse_keys("a<Enter><C-s><lt>").unwrap();
        assert_eq!(keys[0].code, KeyCode::Char('a'));
        assert_eq!(keys[1].code, KeyCode::Enter);
        assert_eq!(keys[2].modifiers, KeyModifiers::CONTROL);
        assert_eq!(keys[3].code, KeyCode::Char('<'));
        assert!(parse_keys("<Nope>").is_err());
        assert!(parse_keys("<Enter").is_err());
    }
}
