//! A sentence for a person as a message key and its arguments, so the front ends can say
//! it in the reader's language (their message files hold the wording). The domain still
//! writes every sentence in English too: that is the contract's text (`--json`, `crm show`),
//! and a test holds both to the same words.

use serde::{Deserialize, Serialize};

/// A message key and its named arguments.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub key: String,
    pub args: Vec<(String, Arg)>,
}

/// A sentence the domain words itself: the English (the contract's text, `Display`) and the
/// same sentence as a message, so a front end can say it in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worded {
    pub english: String,
    pub said: Text,
}

impl Worded {
    pub fn new(english: impl Into<String>, said: Text) -> Worded {
        Worded {
            english: english.into(),
            said,
        }
    }
}

impl std::fmt::Display for Worded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

/// An argument: text as it is (numbers, dates, names), or a part that is itself a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arg {
    Plain(String),
    Said(Text),
    /// Parts said one after the other, with the language's list separator between them.
    List(Vec<Text>),
}

impl Text {
    pub fn new(key: &str) -> Text {
        Text {
            key: key.to_string(),
            args: Vec::new(),
        }
    }

    /// Adds an argument shown as it is.
    pub fn arg(mut self, name: &str, value: impl ToString) -> Text {
        self.args
            .push((name.to_string(), Arg::Plain(value.to_string())));
        self
    }

    /// Adds an argument that is itself a message.
    pub fn part(mut self, name: &str, value: Text) -> Text {
        self.args.push((name.to_string(), Arg::Said(value)));
        self
    }

    /// Adds an argument that is a list of messages ("segment, category spend").
    pub fn list(mut self, name: &str, parts: Vec<Text>) -> Text {
        self.args.push((name.to_string(), Arg::List(parts)));
        self
    }

    /// The display name of a code: `prefix-code` without underscores (`lost-reason-price`).
    pub fn code(prefix: &str, code: &str) -> Text {
        Text::new(&format!("{prefix}-{}", code.replace('_', "")))
    }

    /// A message of no words (an optional part left out).
    pub fn empty() -> Text {
        Text::new("")
    }
}
