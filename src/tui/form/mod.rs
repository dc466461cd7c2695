//! Forms: a list of fields with one focus, inline validation and a typed result. Each form
//! (log a contact, the edits) is a builder and a checker in its own file; editing is shared.

pub mod edit;
pub mod input;
pub mod log;
pub mod parse;
pub mod pdca;
pub mod pick;

use jiff::civil::Date;
use jiff::Timestamp;

use crate::book::pdca::PlanEdit;
use crate::domain::model::{
    ActDecision, Bond, Customer, CustomerId, Cycle, CycleId, Interaction, Lost, Order,
};
use crate::domain::pdca::Plan;
pub use input::TextInput;
pub use pick::{Known, Pick, PickOption};

#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text {
        input: TextInput,
        multiline: bool,
    },
    Choice {
        options: Vec<String>,
        index: usize,
    },
    Toggles {
        options: Vec<String>,
        on: Vec<bool>,
        cursor: usize,
    },
    /// One of a list, chosen from the list (`pick.rs`).
    Pick(Pick),
    /// Shown, never edited (the PDCA plan's baseline): focus passes it by.
    Shown(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Stable name the checker looks fields up by.
    pub name: &'static str,
    pub label: &'static str,
    pub value: FieldValue,
    pub hint: String,
    pub error: Option<String>,
    /// Errors show once a field was edited or a save was tried, not while still untouched.
    pub touched: bool,
    /// A date field whose typed value (`+7`) is shown resolved beside it (`echo`).
    pub date_echo: bool,
    /// What the typed value means, shown beside it focused or not (`+7` -> the date).
    pub echo: Option<String>,
}

impl Field {
    pub fn text(name: &'static str, label: &'static str, value: &str, hint: &str) -> Field {
        Field::new(
            name,
            label,
            FieldValue::Text {
                input: TextInput::new(value),
                multiline: false,
            },
            hint,
        )
    }

    pub fn multiline(name: &'static str, label: &'static str, value: &str, hint: &str) -> Field {
        Field::new(
            name,
            label,
            FieldValue::Text {
                input: TextInput::new(value),
                multiline: true,
            },
            hint,
        )
    }

    pub fn choice(
        name: &'static str,
        label: &'static str,
        options: Vec<String>,
        index: usize,
    ) -> Field {
        let index = index.min(options.len().saturating_sub(1));
        Field::new(name, label, FieldValue::Choice { options, index }, "")
    }

    pub fn pick(name: &'static str, label: &'static str, pick: Pick) -> Field {
        Field::new(
            name,
            label,
            FieldValue::Pick(pick),
            &crate::i18n::t("form-hint-pick"),
        )
    }

    pub fn shown(name: &'static str, label: &'static str, value: &str) -> Field {
        Field::new(name, label, FieldValue::Shown(value.to_string()), "")
    }

    pub fn toggles(name: &'static str, label: &'static str, options: Vec<String>) -> Field {
        let on = vec![false; options.len()];
        Field::new(
            name,
            label,
            FieldValue::Toggles {
                options,
                on,
                cursor: 0,
            },
            "",
        )
    }

    fn new(name: &'static str, label: &'static str, value: FieldValue, hint: &str) -> Field {
        Field {
            name,
            label,
            value,
            hint: hint.to_string(),
            error: None,
            touched: false,
            date_echo: false,
            echo: None,
        }
    }

    /// This date field shows the date its typed value means (`+7` -> `2026-11-29, Sun`).
    pub fn echoing_dates(mut self) -> Field {
        self.date_echo = true;
        self
    }

    pub fn is_text(&self) -> bool {
        matches!(self.value, FieldValue::Text { .. })
    }

    /// Focus stops on it: everything but a value only shown.
    pub fn takes_focus(&self) -> bool {
        !matches!(self.value, FieldValue::Shown(_))
    }
}

/// Which form, and the record it is about (kept in a draft: `tui/drafts.rs`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum FormKind {
    Log {
        customer: CustomerId,
    },
    NewCustomer,
    EditCustomer {
        original: Box<Customer>,
    },
    AddBond {
        customer: CustomerId,
    },
    /// `bonds[i]` is the index into `Account::bonds` of the i-th choice.
    EndBond {
        customer: CustomerId,
        bonds: Vec<usize>,
    },
    AddOrder {
        customer: CustomerId,
    },
    Lost {
        customer: CustomerId,
    },
    NewCycle,
    CycleAction {
        cycle: CycleId,
    },
    ActCycle {
        cycle: CycleId,
    },
    EditCycle {
        original: Box<Cycle>,
    },
    /// The log form filled with a logged contact (`previous`, as read), to correct it.
    CorrectLog {
        customer: CustomerId,
        previous: Box<Interaction>,
    },
}

impl FormKind {
    pub fn customer(&self) -> Option<&str> {
        match self {
            FormKind::Log { customer }
            | FormKind::AddBond { customer }
            | FormKind::EndBond { customer, .. }
            | FormKind::AddOrder { customer }
            | FormKind::Lost { customer }
            | FormKind::CorrectLog { customer, .. } => Some(customer),
            FormKind::EditCustomer { original } => Some(&original.id),
            FormKind::NewCustomer
            | FormKind::NewCycle
            | FormKind::CycleAction { .. }
            | FormKind::ActCycle { .. }
            | FormKind::EditCycle { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Something was typed or changed: cancelling asks first.
    pub dirty: bool,
    /// A save was refused by the book (not a field error): shown above the fields.
    pub error: Option<String>,
}

/// What the clock and the user say, for checking a form.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub as_of: Date,
    pub now: Timestamp,
    pub author: &'a str,
}

/// A checked form, ready for the book.
#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Log(Interaction),
    NewCustomer(Customer),
    EditCustomer(Customer),
    AddBond(Bond),
    EndBond { index: usize, until: Date },
    AddOrder(Order),
    Lost(Option<Lost>),
    NewCycle(Plan),
    CycleAction(String, Option<Date>),
    ActCycle(ActDecision, String),
    EditCycle(PlanEdit),
}

pub type FieldErrors = Vec<(&'static str, String)>;

impl Form {
    pub fn new(kind: FormKind, title: String, fields: Vec<Field>, focus: &str) -> Form {
        let focus = fields.iter().position(|f| f.name == focus).unwrap_or(0);
        let mut form = Form {
            kind,
            title,
            fields,
            focus,
            dirty: false,
            error: None,
        };
        form.focus_at(focus);
        form
    }

    /// Focuses field `at`, or the next one that takes focus (wrapping).
    pub fn focus_at(&mut self, at: usize) {
        let n = self.fields.len();
        self.focus = (0..n)
            .map(|step| (at + step) % n.max(1))
            .find(|&i| self.fields[i].takes_focus())
            .unwrap_or(0);
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// The text of a text field ("" when there is no such field).
    pub fn text(&self, name: &str) -> &str {
        match self.field(name).map(|f| &f.value) {
            Some(FieldValue::Text { input, .. }) => input.value(),
            _ => "",
        }
    }

    /// The chosen option's position (0 when there is no such field).
    pub fn choice(&self, name: &str) -> usize {
        match self.field(name).map(|f| &f.value) {
            Some(FieldValue::Choice { index, .. }) => *index,
            _ => 0,
        }
    }

    /// The value chosen in a picker (`None`: nothing chosen, or no such picker).
    pub fn picked(&self, name: &str) -> Option<&str> {
        match self.field(name).map(|f| &f.value) {
            Some(FieldValue::Pick(pick)) => pick.value(),
            _ => None,
        }
    }

    pub fn pick_mut(&mut self, name: &str) -> Option<&mut Pick> {
        match self
            .fields
            .iter_mut()
            .find(|f| f.name == name)
            .map(|f| &mut f.value)
        {
            Some(FieldValue::Pick(pick)) => Some(pick),
            _ => None,
        }
    }

    /// The focused field's picker when its list is open.
    pub fn open_pick(&self) -> Option<&Pick> {
        match self.focused().map(|f| &f.value) {
            Some(FieldValue::Pick(pick)) if pick.is_open() => Some(pick),
            _ => None,
        }
    }

    pub fn open_pick_mut(&mut self) -> Option<&mut Pick> {
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(FieldValue::Pick(pick)) if pick.is_open() => Some(pick),
            _ => None,
        }
    }

    /// The focused field was changed by a pick: it is edited, the form too.
    pub fn mark_changed(&mut self) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.touched = true;
        }
        self.dirty = true;
        self.error = None;
    }

    pub fn toggled(&self, name: &str) -> Vec<bool> {
        match self.field(name).map(|f| &f.value) {
            Some(FieldValue::Toggles { on, .. }) => on.clone(),
            _ => Vec::new(),
        }
    }

    pub fn set_text(&mut self, name: &str, value: &str) {
        if let Some(field) = self.fields.iter_mut().find(|f| f.name == name) {
            if let FieldValue::Text { input, .. } = &mut field.value {
                *input = TextInput::new(value);
            }
        }
    }

    pub fn set_choice(&mut self, name: &str, value: usize) {
        if let Some(field) = self.fields.iter_mut().find(|f| f.name == name) {
            if let FieldValue::Choice { options, index } = &mut field.value {
                if value < options.len() {
                    *index = value;
                }
            }
        }
    }

    /// Resolves what each date field's text means for `as_of`, to show beside it.
    pub fn refresh_echoes(&mut self, as_of: Date) {
        for field in self.fields.iter_mut().filter(|f| f.date_echo) {
            let FieldValue::Text { input, .. } = &field.value else {
                continue;
            };
            field.echo = match parse::date(input.value(), as_of) {
                Ok(Some(date)) => Some(crate::i18n::tr(
                    "form-date-echo",
                    &[
                        ("date", &date.to_string()),
                        ("weekday", &crate::tui::widgets::weekday(date)),
                    ],
                )),
                _ => None,
            };
        }
    }

    /// The log form's direction flipped (inbound <-> outbound); false on another form.
    pub fn flip_direction(&mut self) -> bool {
        use crate::domain::model::Direction;
        let Some(field) = self.fields.iter_mut().find(|f| f.name == "direction") else {
            return false;
        };
        let FieldValue::Choice { index, .. } = &mut field.value else {
            return false;
        };
        let now = Direction::ALL.get(*index).copied();
        let flipped = match now {
            Some(Direction::Inbound) => Direction::Outbound,
            _ => Direction::Inbound,
        };
        *index = position(Direction::ALL, &flipped);
        field.touched = true;
        self.dirty = true;
        true
    }

    /// The next field that takes focus (a shown value, the baseline, is passed by: what is
    /// typed next goes to a field that takes it).
    pub fn next_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus_at((self.focus + 1) % self.fields.len());
        }
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len();
        if let Some(i) = (1..=n)
            .map(|step| (self.focus + n - step) % n)
            .find(|&i| self.fields[i].takes_focus())
        {
            self.focus = i;
        }
    }

    /// Applies one editing key to the focused field; true when the value changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let changed = match &mut field.value {
            FieldValue::Text { input, multiline } => match edit {
                Edit::Char(c) => {
                    input.insert(c);
                    true
                }
                Edit::Newline if *multiline => {
                    input.insert('\n');
                    true
                }
                Edit::Newline => false,
                Edit::Backspace => input.backspace(),
                Edit::Delete => input.delete(),
                Edit::Left => {
                    input.left();
                    false
                }
                Edit::Right => {
                    input.right();
                    false
                }
                Edit::Home => {
                    input.home();
                    false
                }
                Edit::End => {
                    input.end();
                    false
                }
                Edit::Clear => {
                    let had = !input.value().is_empty();
                    // Many lines (contacts, a note): only the cursor's line goes.
                    if *multiline {
                        input.clear_line();
                    } else {
                        input.clear();
                    }
                    had
                }
            },
            FieldValue::Choice { options, index } => {
                let n = options.len().max(1);
                let before = *index;
                match edit {
                    Edit::Right | Edit::Char(' ') => *index = (*index + 1) % n,
                    Edit::Left => *index = (*index + n - 1) % n,
                    Edit::Home => *index = 0,
                    Edit::End => *index = n - 1,
                    Edit::Char(c) => {
                        // Typing a letter picks the next option starting with it.
                        let lower = c.to_lowercase().next().unwrap_or(c);
                        let found = (1..=n)
                            .map(|step| (before + step) % n)
                            .find(|&i| options[i].starts_with(lower));
                        if let Some(i) = found {
                            *index = i;
                        }
                    }
                    _ => {}
                }
                *index != before
            }
            FieldValue::Pick(pick) => match edit {
                // Enter, Space or a typed letter opens the list (filtered by the letter).
                Edit::Newline | Edit::Char(' ') => {
                    pick.open(None);
                    false
                }
                Edit::Char(c) => {
                    pick.open(Some(c));
                    false
                }
                Edit::Right => pick.step(true),
                Edit::Left => pick.step(false),
                _ => false,
            },
            FieldValue::Shown(_) => false,
            FieldValue::Toggles {
                options,
                on,
                cursor,
            } => {
                let n = options.len().max(1);
                match edit {
                    Edit::Right => {
                        *cursor = (*cursor + 1) % n;
                        false
                    }
                    Edit::Left => {
                        *cursor = (*cursor + n - 1) % n;
                        false
                    }
                    Edit::Char(' ') | Edit::Char('x') => match on.get_mut(*cursor) {
                        Some(flag) => {
                            *flag = !*flag;
                            true
                        }
                        None => false,
                    },
                    _ => false,
                }
            }
        };
        if changed {
            field.touched = true;
            self.dirty = true;
            self.error = None;
        }
        changed
    }

    /// Re-checks the form and shows each error on its field (touched fields only, unless
    /// `all`). Returns the checked result when there is no error.
    pub fn check(&mut self, ctx: &Ctx, all: bool) -> Option<Submit> {
        let result = check(self, ctx);
        let errors: FieldErrors = match &result {
            Ok(_) => Vec::new(),
            Err(errors) => errors.clone(),
        };
        for field in &mut self.fields {
            if all {
                field.touched = true;
            }
            field.error = errors
                .iter()
                .find(|(name, _)| *name == field.name)
                .filter(|_| field.touched)
                .map(|(_, message)| message.clone());
        }
        if all {
            if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
                self.focus = first;
            }
        }
        result.ok()
    }
}

/// One editing key, as the focused field understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Char(char),
    Newline,
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Clear,
}

/// Checks a form of any kind.
pub fn check(form: &Form, ctx: &Ctx) -> Result<Submit, FieldErrors> {
    match &form.kind {
        FormKind::Log { .. } | FormKind::CorrectLog { .. } => {
            log::check(form, ctx).map(Submit::Log)
        }
        FormKind::NewCustomer => edit::check_customer(form, None, ctx).map(Submit::NewCustomer),
        FormKind::EditCustomer { original } => {
            edit::check_customer(form, Some(original), ctx).map(Submit::EditCustomer)
        }
        FormKind::AddBond { .. } => edit::check_bond(form, ctx).map(Submit::AddBond),
        FormKind::EndBond { bonds, .. } => edit::check_end_bond(form, bonds, ctx)
            .map(|(index, until)| Submit::EndBond { index, until }),
        FormKind::AddOrder { .. } => edit::check_order(form, ctx).map(Submit::AddOrder),
        FormKind::Lost { .. } => edit::check_lost(form, ctx).map(Submit::Lost),
        FormKind::NewCycle => pdca::check_plan(form, ctx).map(Submit::NewCycle),
        FormKind::CycleAction { .. } => {
            pdca::check_action(form, ctx).map(|(text, due)| Submit::CycleAction(text, due))
        }
        FormKind::ActCycle { .. } => {
            pdca::check_act(form).map(|(decision, lessons)| Submit::ActCycle(decision, lessons))
        }
        FormKind::EditCycle { original } => {
            pdca::check_edit(form, original, ctx).map(Submit::EditCycle)
        }
    }
}

/// Options of a coded enum, as shown in a choice field.
pub fn codes<T: Copy + std::fmt::Display>(all: &[T]) -> Vec<String> {
    all.iter().map(|v| v.to_string()).collect()
}

/// The display names of `all` in the current language, in the same order (a choice is
/// read back by position, so the names never need parsing).
pub fn labels<T: Copy>(all: &[T], label: fn(T) -> String) -> Vec<String> {
    all.iter().map(|v| label(*v)).collect()
}

/// Position of `value` in `all` (0 when absent).
pub fn position<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}
