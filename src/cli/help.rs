//! `--help` in the reader's language: the command tree clap builds from the doc comments
//! (English, also the completions' text; `translated` gives the man page its words) gets each command's `about`
//! (and long about) and each argument's `help` from the message files, keys
//! `clihelp-<command path>` (`---long`) and `clihelp-<command path>--<argument id>`, when
//! the language is not English. The examples after the help stay as they are (commands). What has no
//! message (clap's own `--help`, `--version`) keeps clap's words.

use std::path::PathBuf;

use clap::Command;

use crate::domain::config::Config;

use crate::i18n::{current, message_in, Lang};

/// The key prefix of the help texts.
pub const PREFIX: &str = "clihelp";

/// The command tree with its texts in the current language.
pub fn localized(command: Command) -> Command {
    match current() {
        Lang::En => command,
        lang => {
            let mut command = walk(command, PREFIX, lang);
            // Built, so clap's own `--help` and `--version` are there to be said too.
            command.build();
            own_flags(command, lang)
        }
    }
}

/// The command tree's own texts (abouts, argument helps, headings) in the current language,
/// unbuilt: what the man page describes (clap's generated `--help`/`help` are not on it).
pub fn translated(command: Command) -> Command {
    match current() {
        Lang::En => command,
        lang => walk(command, PREFIX, lang),
    }
}

fn walk(mut command: Command, path: &str, lang: Lang) -> Command {
    let say = |key: &str| message_in(lang, key, &[]).unwrap_or_default();
    // clap (without its `string` feature) takes headings as `&'static str`; the command
    // tree is built once a process, so these few words live as long as it anyway.
    let heading = |key: &str| -> &'static str { Box::leak(say(key).into_boxed_str()) };
    // clap's own headings, and the global options' one (`args::GLOBAL`).
    command = command
        .help_template(say("help-template"))
        .subcommand_help_heading(heading("help-heading-commands"));
    let headings: Vec<(String, Option<String>)> = command
        .get_arguments()
        .map(|arg| {
            (
                arg.get_id().to_string(),
                arg.get_help_heading().map(str::to_string),
            )
        })
        .collect();
    let (global, options) = (
        heading("help-heading-global"),
        heading("help-heading-options"),
    );
    for (id, current) in headings {
        let to = match current.as_deref() {
            Some(super::args::GLOBAL) | None if current.is_some() => global,
            None => options,
            Some(_) => continue,
        };
        command = command.mut_arg(id, |arg| arg.help_heading(to));
    }
    if let Some(text) = message_in(lang, path, &[]) {
        command = command.about(text);
    }
    if command.get_long_about().is_some() {
        if let Some(text) = message_in(lang, &format!("{path}---long"), &[]) {
            command = command.long_about(text);
        }
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(text) = message_in(lang, &format!("{path}--{id}"), &[]) {
            command = command.mut_arg(id, |arg| arg.help(text));
        }
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = format!("{path}-{name}");
        command = command.mut_subcommand(name, |sub| walk(sub, &sub_path, lang));
    }
    command
}

/// clap's `--help` and `--version` of every command, said and under the options' heading.
fn own_flags(mut command: Command, lang: Lang) -> Command {
    let say = |key: &str| message_in(lang, key, &[]).unwrap_or_default();
    let options: &'static str = Box::leak(say("help-heading-options").into_boxed_str());
    for (id, key, long) in [
        ("help", "help-flag-help", "help-flag-help-long"),
        ("version", "help-flag-version", "help-flag-version"),
    ] {
        if command.get_arguments().any(|arg| arg.get_id() == id) {
            let (text, long) = (say(key), say(long));
            command = command.mut_arg(id, |arg| {
                arg.help(text).long_help(long).help_heading(options)
            });
        }
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |sub| {
            // clap's `help` subcommand.
            let sub = match sub.get_name() {
                "help" => sub.about(say("help-flag-subcommand")),
                _ => sub,
            };
            own_flags(sub, lang)
        });
    }
    command
}

/// Every key the command tree can take a text from, with clap's English text: the
/// commands' abouts and the arguments' helps that have one.
#[cfg(test)]
fn texts(command: &Command) -> Vec<(String, String)> {
    fn collect(command: &Command, path: &str, out: &mut Vec<(String, String)>) {
        if let Some(about) = command.get_about() {
            out.push((path.to_string(), about.to_string()));
        }
        if let Some(long) = command.get_long_about() {
            out.push((format!("{path}---long"), long.to_string()));
        }
        for arg in command.get_arguments() {
            if let Some(help) = arg.get_help() {
                out.push((format!("{path}--{}", arg.get_id()), help.to_string()));
            }
        }
        for sub in command.get_subcommands() {
            collect(sub, &format!("{path}-{}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    collect(command, PREFIX, &mut out);
    out
}

/// The config's `language`, read before the command line is parsed (so `--help` can
/// follow it): from `--config FILE`, else `$CRM_CONFIG`, else the default file. Nothing
/// when it cannot be read now; the command reports a bad config itself.
pub fn config_language() -> Option<String> {
    let mut args = std::env::args_os().skip(1);
    let mut named = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            named = args.next().map(PathBuf::from);
            break;
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--config=")) {
            named = Some(PathBuf::from(value));
            break;
        }
    }
    let file = named
        .or_else(|| {
            std::env::var_os("CRM_CONFIG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| {
            directories::ProjectDirs::from("", "", "crm")
                .map(|dirs| dirs.config_dir().join("config.toml"))
        })?;
    let text = std::fs::read_to_string(file).ok()?;
    Config::from_toml(&text).ok()?.language
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::args::Cli;

    /// The English messages are clap's own words (the doc comments), so the file a
    /// translator reads is true; every help key names a command or an argument.
    #[test]
    fn the_english_help_messages_are_claps_words() {
        let texts = texts(&Cli::command());
        assert!(texts.len() > 80, "{}", texts.len());
        for (key, english) in &texts {
            assert_eq!(
                message_in(Lang::En, key, &[]).as_deref(),
                Some(english.as_str()),
                "{key}"
            );
        }
        let known: Vec<&String> = texts.iter().map(|(key, _)| key).collect();
        for key in crate::i18n::keys(Lang::En) {
            if key.starts_with(PREFIX) {
                assert!(known.contains(&&key), "{key} names no command or argument");
            }
        }
    }

    #[test]
    fn the_chinese_help_replaces_every_text() {
        crate::i18n::set_for_thread(Some(Lang::ZhCn));
        let command = localized(Cli::command());
        crate::i18n::set_for_thread(None);
        // Every text of the built tree (global options repeated under each command,
        // clap's own flags included) is one of the Chinese messages.
        let chinese: Vec<String> = crate::i18n::keys(Lang::ZhCn)
            .iter()
            .filter(|key| key.starts_with(PREFIX) || key.starts_with("help-flag-"))
            .filter_map(|key| message_in(Lang::ZhCn, key, &[]))
            .collect();
        let all = texts(&command);
        assert!(all.len() > 100, "{}", all.len());
        for (key, text) in all {
            assert!(chinese.contains(&text), "{key}: {text}");
        }
        let pdca = command.find_subcommand("pdca").unwrap();
        let new = pdca.find_subcommand("new").unwrap();
        assert_eq!(
            new.get_about().map(ToString::to_string).as_deref(),
            Some("计划一个新循环；基线按现在（--as-of）测量")
        );
    }
}
