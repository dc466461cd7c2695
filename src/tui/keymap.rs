//! Keys as data: one table of (mode, key, message, help). Resolution and the help screen
//! both read this table, so help can never disagree with what a key does.

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

const fn b(mode: Mode, key: Key, msg: Msg, help: &'static str, hint: bool) -> Binding {
    Binding {
        mode,
        key,
        msg,
        help,
        hint,
    }
}

use KeyCode as K;
use Mode as M;

pub const BINDINGS: &[Binding] = &[
    // Everywhere a view is shown.
    b(
        M::Global,
        Key::ch('/'),
        Msg::OpenFind,
        "help-find-a-customer",
        true,
    ),
    b(
        M::Global,
        Key::ctrl('k'),
        Msg::OpenFind,
        "help-find-a-customer",
        false,
    ),
    b(
        M::Global,
        Key::ch('1'),
        Msg::Show(View::Book),
        "help-book-every-customer",
        false,
    ),
    b(
        M::Global,
        Key::ch('2'),
        Msg::Show(View::Agenda),
        "help-agenda-follow-ups-and-actions",
        false,
    ),
    b(
        M::Global,
        Key::ch('3'),
        Msg::Show(View::Portfolio),
        "help-portfolio-figures",
        false,
    ),
    b(
        M::Global,
        Key::ch('4'),
        Msg::Show(View::Pdca),
        "help-pdca-cycles",
        false,
    ),
    b(M::Global, Key::ch('j'), Msg::Down, "help-move-down", false),
    b(
        M::Global,
        Key::plain(K::Down),
        Msg::Down,
        "help-move-down",
        false,
    ),
    b(M::Global, Key::ch('k'), Msg::Up, "help-move-up", false),
    b(M::Global, Key::plain(K::Up), Msg::Up, "help-move-up", false),
    b(
        M::Global,
        Key::plain(K::PageDown),
        Msg::PageDown,
        "help-page-down",
        false,
    ),
    b(
        M::Global,
        Key::plain(K::PageUp),
        Msg::PageUp,
        "help-page-up",
        false,
    ),
    b(
        M::Global,
        Key::ch('g'),
        Msg::Top,
        "help-go-to-the-top",
        false,
    ),
    b(
        M::Global,
        Key::plain(K::Home),
        Msg::Top,
        "help-go-to-the-top",
        false,
    ),
    b(
        M::Global,
        Key::ch('G'),
        Msg::Bottom,
        "help-go-to-the-bottom",
        false,
    ),
    b(
        M::Global,
        Key::plain(K::End),
        Msg::Bottom,
        "help-go-to-the-bottom",
        false,
    ),
    b(
        M::Global,
        Key::ch('?'),
        Msg::ToggleHelp,
        "help-help-keys-of-this-view",
        true,
    ),
    b(
        M::Global,
        Key::plain(K::Esc),
        Msg::Back,
        "help-back-to-the-book",
        false,
    ),
    b(M::Global, Key::ch('q'), Msg::Quit, "help-quit", true),
    b(M::Global, Key::ctrl('c'), Msg::Quit, "help-quit", false),
    // Book list.
    b(
        M::Book,
        Key::plain(K::Enter),
        Msg::Open,
        "help-open-the-customer-s-card",
        true,
    ),
    b(M::Book, Key::ch('l'), Msg::Log, "help-log-a-contact", true),
    b(
        M::Book,
        Key::ch('s'),
        Msg::CycleStage,
        "help-filter-by-stage-cycles",
        true,
    ),
    b(
        M::Book,
        Key::ch('t'),
        Msg::CycleTier,
        "help-filter-by-tier-cycles",
        true,
    ),
    b(
        M::Book,
        Key::ch('v'),
        Msg::CycleLevel,
        "help-filter-by-level-cycles",
        true,
    ),
    b(
        M::Book,
        Key::ch('o'),
        Msg::CycleOwner,
        "help-filter-by-owner-cycles",
        true,
    ),
    b(
        M::Book,
        Key::ch('x'),
        Msg::ClearFilters,
        "help-clear-every-filter",
        true,
    ),
    b(
        M::Book,
        Key::ch('n'),
        Msg::Sort(SortKey::Name),
        "help-sort-by-name-again-reverse",
        true,
    ),
    b(
        M::Book,
        Key::ch('m'),
        Msg::Sort(SortKey::Value),
        "help-sort-by-value-crv-again-reverse",
        true,
    ),
    b(
        M::Book,
        Key::ch('c'),
        Msg::Sort(SortKey::LastContact),
        "help-sort-by-last-contact-oldest-first",
        true,
    ),
    b(
        M::Book,
        Key::ch('u'),
        Msg::Sort(SortKey::Urgency),
        "help-sort-by-urgency-earliest-due-first",
        true,
    ),
    b(
        M::Book,
        Key::ch('a'),
        Msg::AddCustomer,
        "help-add-a-customer",
        true,
    ),
    b(
        M::Book,
        Key::ch('R'),
        Msg::Refresh,
        "help-recompute-the-book",
        false,
    ),
    // Card.
    b(M::Card, Key::plain(K::Esc), Msg::Back, "help-back", true),
    b(M::Card, Key::ch('q'), Msg::Back, "help-back", false),
    b(
        M::Card,
        Key::plain(K::Enter),
        Msg::Open,
        "help-accept-the-action-mark-the-task",
        false,
    ),
    b(
        M::Card,
        Key::ch('a'),
        Msg::Accept,
        "help-accept-the-selected-next-best-action",
        true,
    ),
    b(M::Card, Key::ch('l'), Msg::Log, "help-log-a-contact", true),
    b(
        M::Card,
        Key::ch('d'),
        Msg::TaskDone,
        "help-mark-the-selected-task-done",
        true,
    ),
    b(
        M::Card,
        Key::ch('z'),
        Msg::Snooze,
        "help-snooze-the-selected-task-a-day",
        false,
    ),
    b(
        M::Card,
        Key::ch('e'),
        Msg::EditProfile,
        "help-edit-profile-and-contact-persons",
        true,
    ),
    b(M::Card, Key::ch('b'), Msg::AddBond, "help-add-a-bond", true),
    b(
        M::Card,
        Key::ch('B'),
        Msg::EndBond,
        "help-end-a-bond",
        false,
    ),
    b(
        M::Card,
        Key::ch('o'),
        Msg::AddOrder,
        "help-add-an-order",
        true,
    ),
    b(
        M::Card,
        Key::ch('L'),
        Msg::MarkLost,
        "help-mark-lost-or-won-back",
        false,
    ),
    b(
        M::Card,
        Key::ch('N'),
        Msg::Pdca(PdcaMsg::New),
        "help-plan-a-pdca-cycle-for-this",
        false,
    ),
    // Agenda.
    b(
        M::Agenda,
        Key::plain(K::Enter),
        Msg::Open,
        "help-open-the-customer-s-card",
        true,
    ),
    b(
        M::Agenda,
        Key::ch('d'),
        Msg::TaskDone,
        "help-mark-the-follow-up-done",
        true,
    ),
    b(
        M::Agenda,
        Key::ch('z'),
        Msg::Snooze,
        "help-snooze-a-day",
        true,
    ),
    b(
        M::Agenda,
        Key::ch('Z'),
        Msg::SnoozeWeek,
        "help-snooze-a-week",
        true,
    ),
    b(
        M::Agenda,
        Key::ch('a'),
        Msg::Accept,
        "help-accept-the-action",
        true,
    ),
    b(
        M::Agenda,
        Key::ch('l'),
        Msg::Log,
        "help-log-a-contact",
        true,
    ),
    b(
        M::Agenda,
        Key::ch('R'),
        Msg::Refresh,
        "help-recompute-the-agenda",
        false,
    ),
    // Portfolio.
    b(
        M::Portfolio,
        Key::ch('R'),
        Msg::Refresh,
        "help-recompute-the-figures",
        true,
    ),
    // PDCA.
    b(
        M::Pdca,
        Key::plain(K::Enter),
        Msg::Open,
        "help-open-the-cycle-plan-actions-metric",
        true,
    ),
    b(
        M::Pdca,
        Key::ch('N'),
        Msg::Pdca(PdcaMsg::New),
        "help-plan-a-new-cycle",
        true,
    ),
    b(
        M::Pdca,
        Key::ch('o'),
        Msg::Pdca(PdcaMsg::OpenCustomer),
        "help-open-the-customer-s-card-customer",
        true,
    ),
    b(
        M::Pdca,
        Key::ch('R'),
        Msg::Refresh,
        "help-reload-the-cycles",
        false,
    ),
    // A cycle's page.
    b(M::Cycle, Key::plain(K::Esc), Msg::Back, "help-back", true),
    b(M::Cycle, Key::ch('q'), Msg::Back, "help-back", false),
    b(
        M::Cycle,
        Key::plain(K::Enter),
        Msg::Open,
        "help-mark-the-action-done-open-the",
        false,
    ),
    b(
        M::Cycle,
        Key::ch('a'),
        Msg::Pdca(PdcaMsg::AddAction),
        "help-add-an-action",
        true,
    ),
    b(
        M::Cycle,
        Key::ch('d'),
        Msg::TaskDone,
        "help-action-done-mark-the-selected-one",
        true,
    ),
    b(
        M::Cycle,
        Key::ch('>'),
        Msg::Pdca(PdcaMsg::Advance),
        "help-advance-the-next-phase-in-do",
        true,
    ),
    b(
        M::Cycle,
        Key::ch('c'),
        Msg::Pdca(PdcaMsg::Check),
        "help-check-measure-now-against-the-target",
        true,
    ),
    b(
        M::Cycle,
        Key::ch('x'),
        Msg::Pdca(PdcaMsg::Act),
        "help-act-standardise-adjust-next-cycle-or",
        true,
    ),
    b(
        M::Cycle,
        Key::ch('e'),
        Msg::Pdca(PdcaMsg::EditPlan),
        "help-edit-target-check-date-notes-lessons",
        true,
    ),
    b(
        M::Cycle,
        Key::ch('N'),
        Msg::Pdca(PdcaMsg::New),
        "help-plan-a-new-cycle-in-the",
        false,
    ),
    b(
        M::Cycle,
        Key::ch('o'),
        Msg::Pdca(PdcaMsg::OpenCustomer),
        "help-open-the-scoped-customer-s-card",
        false,
    ),
    b(
        M::Cycle,
        Key::ch('R'),
        Msg::Refresh,
        "help-reload-the-cycle-and-measure-again",
        false,
    ),
    // Find palette.
    b(
        M::Find,
        Key::plain(K::Enter),
        Msg::Open,
        "help-open-the-card",
        true,
    ),
    b(M::Find, Key::plain(K::Esc), Msg::Back, "help-close", true),
    b(
        M::Find,
        Key::plain(K::Down),
        Msg::Down,
        "help-next-result",
        true,
    ),
    b(
        M::Find,
        Key::ctrl('n'),
        Msg::Down,
        "help-next-result",
        false,
    ),
    b(
        M::Find,
        Key::plain(K::Up),
        Msg::Up,
        "help-previous-result",
        true,
    ),
    b(
        M::Find,
        Key::ctrl('p'),
        Msg::Up,
        "help-previous-result",
        false,
    ),
    b(
        M::Find,
        Key::plain(K::Backspace),
        Msg::Backspace,
        "help-delete-back",
        false,
    ),
    b(
        M::Find,
        Key::plain(K::Delete),
        Msg::Delete,
        "help-delete-forward",
        false,
    ),
    b(
        M::Find,
        Key::plain(K::Left),
        Msg::Left,
        "help-cursor-left",
        false,
    ),
    b(
        M::Find,
        Key::plain(K::Right),
        Msg::Right,
        "help-cursor-right",
        false,
    ),
    b(
        M::Find,
        Key::plain(K::Home),
        Msg::Home,
        "help-start-of-the-query",
        false,
    ),
    b(
        M::Find,
        Key::plain(K::End),
        Msg::End,
        "help-end-of-the-query",
        false,
    ),
    b(
        M::Find,
        Key::ctrl('u'),
        Msg::ClearInput,
        "help-clear-the-query",
        true,
    ),
    b(M::Find, Key::ctrl('c'), Msg::Back, "help-close", false),
    // Forms (log a contact, edits).
    b(M::Form, Key::ctrl('s'), Msg::Save, "help-save", true),
    b(
        M::Form,
        Key::plain(K::Esc),
        Msg::Back,
        "help-cancel-asks-first",
        true,
    ),
    b(
        M::Form,
        Key::plain(K::Tab),
        Msg::NextField,
        "help-next-field",
        true,
    ),
    b(
        M::Form,
        Key::plain(K::BackTab),
        Msg::PrevField,
        "help-previous-field",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::Down),
        Msg::NextField,
        "help-next-field",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::Up),
        Msg::PrevField,
        "help-previous-field",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::Left),
        Msg::Left,
        "help-cursor-left-previous-choice",
        true,
    ),
    b(
        M::Form,
        Key::plain(K::Right),
        Msg::Right,
        "help-cursor-right-next-choice",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::Home),
        Msg::Home,
        "help-start-of-the-field",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::End),
        Msg::End,
        "help-end-of-the-field",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::Backspace),
        Msg::Backspace,
        "help-delete-back",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::Delete),
        Msg::Delete,
        "help-delete-forward",
        false,
    ),
    b(
        M::Form,
        Key::plain(K::Enter),
        Msg::Newline,
        "help-new-line-in-the-note-next",
        false,
    ),
    b(
        M::Form,
        Key::ctrl('u'),
        Msg::ClearInput,
        "help-clear-the-field",
        false,
    ),
    // Confirmations.
    b(M::Confirm, Key::ch('y'), Msg::Yes, "help-yes", true),
    b(M::Confirm, Key::ch('n'), Msg::No, "help-no", true),
    b(M::Confirm, Key::plain(K::Esc), Msg::No, "help-no", false),
    // Help.
    b(
        M::Help,
        Key::plain(K::Esc),
        Msg::ToggleHelp,
        "help-close-help",
        true,
    ),
    b(
        M::Help,
        Key::ch('?'),
        Msg::ToggleHelp,
        "help-close-help",
        false,
    ),
    b(
        M::Help,
        Key::ch('q'),
        Msg::ToggleHelp,
        "help-close-help",
        false,
    ),
    b(M::Help, Key::ch('j'), Msg::Down, "help-scroll-down", false),
    b(
        M::Help,
        Key::plain(K::Down),
        Msg::Down,
        "help-scroll-down",
        false,
    ),
    b(M::Help, Key::ch('k'), Msg::Up, "help-scroll-up", false),
    b(M::Help, Key::plain(K::Up), Msg::Up, "help-scroll-up", false),
];

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
