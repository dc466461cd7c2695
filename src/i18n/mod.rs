//! The interface's language. Every label, help line and message is a key in the Fluent
//! message files `locales/en/crm.ftl` and `locales/zh-CN/crm.ftl`, which a translator edits
//! without touching code; the files are compiled in, so a binary never runs without them.
//!
//! The language is chosen once per process (`set`, from `detect`): the config's `language`
//! first, then the locale environment (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set
//! decides, as POSIX has it). A thread may override it (`set_for_thread`), so tests render
//! both languages side by side. Codes in `--json` output are never translated.

mod labels;

pub use labels::*;

use std::cell::{Cell, OnceCell};
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The spelling of the config's `language` and of the locale directory.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language a config value names: `en` or `zh-CN` (`zh_CN` and `zh` accepted).
    pub fn parse(value: &str) -> Option<Lang> {
        match value.trim() {
            "en" | "en-US" | "en_US" | "en-GB" | "en_GB" => Some(Lang::En),
            "zh-CN" | "zh_CN" | "zh" | "zh-Hans" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The message file's text.
    pub fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../../locales/en/crm.ftl"),
            Lang::ZhCn => include_str!("../../locales/zh-CN/crm.ftl"),
        }
    }

    fn index(self) -> u8 {
        match self {
            Lang::En => 0,
            Lang::ZhCn => 1,
        }
    }
}

/// The language the config or the environment asks for: the config's `language` when set,
/// else Simplified Chinese when the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set
/// and not empty names a `zh_CN` locale, else English. `env` reads a variable.
pub fn detect(config: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Lang {
    if let Some(lang) = config.and_then(Lang::parse) {
        return lang;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| env(name))
        .find(|value| !value.is_empty());
    match locale {
        Some(value) if value.starts_with("zh_CN") || value.starts_with("zh-CN") => Lang::ZhCn,
        _ => Lang::En,
    }
}

static PROCESS: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static THREAD: Cell<Option<Lang>> = const { Cell::new(None) };
    static BUNDLES: OnceCell<[FluentBundle<FluentResource>; 2]> = const { OnceCell::new() };
}

/// Sets the language of the whole process.
pub fn set(lang: Lang) {
    PROCESS.store(lang.index(), Ordering::Relaxed);
}

/// Sets the language of this thread only (`None`: the process's again).
pub fn set_for_thread(lang: Option<Lang>) {
    THREAD.with(|t| t.set(lang));
}

/// The language messages are given in on this thread.
pub fn current() -> Lang {
    THREAD.with(Cell::get).unwrap_or_else(|| {
        if PROCESS.load(Ordering::Relaxed) == 1 {
            Lang::ZhCn
        } else {
            Lang::En
        }
    })
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![id]);
    // Terminals show the Unicode isolation marks Fluent puts around arguments as junk.
    bundle.set_use_isolating(false);
    // A message file that does not parse keeps the messages it could read (the key test
    // fails on it); a missing message falls back to English, then to its key.
    let resource = FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

/// The message `key` in `lang` with `args`, or `None` when that language lacks it.
pub fn message_in(lang: Lang, key: &str, args: &[(&str, &str)]) -> Option<String> {
    BUNDLES.with(|cell| {
        let bundles = cell.get_or_init(|| [bundle(Lang::En), bundle(Lang::ZhCn)]);
        let bundle = &bundles[usize::from(lang.index())];
        let pattern = bundle.get_message(key)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, *value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(text.into_owned())
    })
}

/// The message `key` in the current language.
pub fn t(key: &str) -> String {
    tr(key, &[])
}

/// The message `key` in the current language with named arguments (`{ $name }`).
pub fn tr(key: &str, args: &[(&str, &str)]) -> String {
    message_in(current(), key, args)
        .or_else(|| message_in(Lang::En, key, args))
        .unwrap_or_else(|| key.to_string())
}

/// A domain message (`domain::text::Text`) in the current language: its parts said first.
pub fn say(text: &crate::domain::text::Text) -> String {
    say_in(current(), text)
}

/// As `say`, for the console, which never shows a code: a part naming a code that the
/// command line says as typed (`metric-declinecount` is `decline_count` in English) is
/// said in the console's words for it (`metric-words-declinecount`).
pub fn say_words(text: &crate::domain::text::Text) -> String {
    say(&in_words(text))
}

fn in_words(text: &crate::domain::text::Text) -> crate::domain::text::Text {
    use crate::domain::text::Arg;
    let mut out = text.clone();
    if let Some((kind, code)) = text.key.split_once('-') {
        let words = format!("{kind}-words-{code}");
        if message_in(Lang::En, &words, &[]).is_some() {
            out.key = words;
        }
    }
    for (_, arg) in &mut out.args {
        match arg {
            Arg::Plain(_) => {}
            Arg::Said(part) => *part = in_words(part),
            Arg::List(parts) => parts.iter_mut().for_each(|p| *p = in_words(p)),
        }
    }
    out
}

/// A domain message in `lang`; a part of no words (an empty key) says nothing.
pub fn say_in(lang: Lang, text: &crate::domain::text::Text) -> String {
    use crate::domain::text::Arg;
    if text.key.is_empty() {
        return String::new();
    }
    let args: Vec<(String, String)> = text
        .args
        .iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Plain(plain) => plain.clone(),
                Arg::Said(part) => say_in(lang, part),
                Arg::List(parts) => {
                    let separator = message_in(lang, "ev-list-separator", &[]).unwrap_or_default();
                    let said: Vec<String> = parts.iter().map(|p| say_in(lang, p)).collect();
                    said.join(&separator)
                }
            };
            (name.clone(), value)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = args.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    message_in(lang, &text.key, &borrowed)
        .or_else(|| message_in(Lang::En, &text.key, &borrowed))
        .unwrap_or_else(|| text.key.clone())
}

/// What a PDCA cycle is about, as a person reads it (`Scope`'s own spelling, `book`,
/// `customer:ID`, is the command line's).
pub fn scope_text(scope: &crate::domain::model::Scope) -> String {
    use crate::domain::model::Scope;
    match scope {
        Scope::Book => t("scope-book"),
        Scope::Customer(id) => tr("scope-customer", &[("id", id)]),
        Scope::Owner(login) => tr("scope-owner", &[("login", login)]),
        Scope::Segment(name) => tr("scope-segment", &[("name", name)]),
    }
}

/// Why `text` is not a PDCA scope (`domain::pdca::parse_scope` refused it), in the current
/// language: a kind with no value, or not a scope at all.
pub fn scope_error(text: &str) -> String {
    let text = text.trim();
    match text.split_once(':') {
        Some((kind, value)) if value.trim().is_empty() => tr(
            "scope-err-missing",
            &[("scope", text), ("kind", kind.trim())],
        ),
        _ => tr("scope-err-unknown", &[("scope", text)]),
    }
}

/// Every message id of a language's file, in file order.
pub fn keys(lang: Lang) -> Vec<String> {
    let resource = FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(r, _)| r);
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Whether a language's file parses without an error.
pub fn parses(lang: Lang) -> bool {
    FluentResource::try_new(lang.source().to_string()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_config_wins_then_the_first_locale_variable_set() {
        assert_eq!(
            detect(Some("zh-CN"), env(&[("LANG", "en_US.UTF-8")])),
            Lang::ZhCn
        );
        assert_eq!(
            detect(Some("en"), env(&[("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(detect(None, env(&[("LANG", "zh_CN.UTF-8")])), Lang::ZhCn);
        assert_eq!(detect(None, env(&[("LANG", "zh_CN.GB18030")])), Lang::ZhCn);
        // LC_ALL overrides LC_MESSAGES overrides LANG; an empty one is not set.
        let both = [("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(detect(None, env(&both)), Lang::En);
        let messages = [
            ("LC_ALL", ""),
            ("LC_MESSAGES", "zh_CN.UTF-8"),
            ("LANG", "C"),
        ];
        assert_eq!(detect(None, env(&messages)), Lang::ZhCn);
        assert_eq!(detect(None, env(&[("LANG", "zh_TW.UTF-8")])), Lang::En);
        assert_eq!(detect(None, env(&[])), Lang::En);
        // A config value that names no language leaves it to the environment.
        assert_eq!(
            detect(Some("klingon"), env(&[("LANG", "zh_CN.UTF-8")])),
            Lang::ZhCn
        );
    }

    #[test]
    fn a_thread_can_render_another_language() {
        set_for_thread(Some(Lang::ZhCn));
        assert_eq!(t("view-book"), "客户");
        set_for_thread(Some(Lang::En));
        assert_eq!(t("view-book"), "Book");
        assert_eq!(t("no-such-key"), "no-such-key");
        set_for_thread(None);
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        set_for_thread(Some(Lang::En));
        assert_eq!(tr("find-count", &[("count", "3")]), "3 found");
        set_for_thread(Some(Lang::ZhCn));
        assert_eq!(tr("find-count", &[("count", "3")]), "找到 3 个");
        set_for_thread(None);
    }
}
