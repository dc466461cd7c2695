//! `crm man`: one man page for the whole command line, made from the same clap definitions
//! as `--help`. Every subcommand is described on this page (there are no separate
//! `crm-COMMAND(1)` pages to point to), the global options stand apart from each command's
//! own, and the page ends with EXIT STATUS, ENVIRONMENT and FILES.

use clap::{Arg, Command};
use roff::{bold, italic, roman, Inline, Roff};

use super::args::GLOBAL;

/// The page as roff source.
pub fn render(cli: &Command) -> Vec<u8> {
    let mut page = Roff::new();
    let version = cli.get_version().unwrap_or_default();
    page.control(
        "TH",
        ["CRM", "1", "", &format!("crm {version}"), "User Commands"],
    );
    page.control("SH", ["NAME"]);
    let about = cli.get_about().map(|a| a.to_string()).unwrap_or_default();
    page.text([roman(format!("crm - {about}"))]);

    page.control("SH", ["SYNOPSIS"]);
    page.text([
        bold("crm"),
        roman(" ["),
        italic("GLOBAL OPTIONS"),
        roman("] ["),
        italic("COMMAND"),
        roman("] ["),
        italic("OPTIONS"),
        roman("]"),
    ]);

    page.control("SH", ["DESCRIPTION"]);
    let description = cli
        .get_long_about()
        .or(cli.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    paragraphs(&mut page, &description);

    page.control("SH", ["GLOBAL OPTIONS"]);
    page.text([roman(
        "These options are accepted before or after any command.",
    )]);
    for arg in cli
        .get_arguments()
        .filter(|a| a.get_help_heading() == Some(GLOBAL))
    {
        option(&mut page, arg);
    }
    item(
        &mut page,
        vec![bold("-h"), roman(", "), bold("--help")],
        "Print help (of a command: crm COMMAND --help)",
    );
    item(
        &mut page,
        vec![bold("-V"), roman(", "), bold("--version")],
        "Print the version",
    );

    page.control("SH", ["COMMANDS"]);
    page.text([
        roman("Without a command, "),
        bold("crm"),
        roman(" opens the console (it needs a terminal)."),
    ]);
    for command in cli.get_subcommands() {
        describe(&mut page, "crm", command);
    }

    page.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        item(&mut page, vec![bold(*code)], meaning);
    }

    page.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        item(&mut page, vec![bold(*name)], meaning);
    }

    page.control("SH", ["FILES"]);
    for (name, meaning) in FILES {
        item(&mut page, vec![italic(*name)], meaning);
    }
    page.render().into_bytes()
}

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success. Output cut short by a closed pipe (crm find x | head -1) also ends quietly with 0."),
    ("1", "A user error: bad input in a file, a customer or cycle not found, a query naming several customers, a refused change, a data dir that does not exist, no terminal for the console. One line on standard error says what and where."),
    ("2", "A usage error: an unknown command or option, a missing argument, or a value an option does not accept (--channel fax, --capacity -5, --as-of 2026-13-01)."),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    ("CRM_DATA", "The book's data directory when --data is not given."),
    ("CRM_CONFIG", "The configuration file when --config is not given."),
    ("CRM_AS_OF", "The as-of date (YYYY-MM-DD) when --as-of is not given; else today. Scripts and tests use it to pin the date."),
    ("CRM_USER", "The login recorded on every change when --user is not given; else USER."),
    ("USER", "The login when neither --user nor CRM_USER is set."),
    ("NO_COLOR", "When set and not empty, the console draws without colour."),
    ("TERM", "vt100, vt102, vt220, vt52, ansi, ascii and dumb terminals get ASCII lines and marks in the console."),
    ("HOME, XDG_DATA_HOME, XDG_CONFIG_HOME", "Where the default data and configuration directories are."),
];

const FILES: &[(&str, &str)] = &[
    (
        "~/.local/share/crm/",
        "The default data directory: the journal, the index and the snapshots (docs/storage.md).",
    ),
    (
        "DATA_DIR/crm.sock",
        "The socket of crm serve (team mode); removed when the server stops.",
    ),
    (
        "~/.config/crm/config.toml",
        "The default configuration file; every key is optional (docs/configuration.md).",
    ),
];

/// One subcommand (and its own subcommands) under a `.SS` heading.
fn describe(page: &mut Roff, parent: &str, command: &Command) {
    let path = format!("{parent} {}", command.get_name());
    if command.has_subcommands() {
        for sub in command.get_subcommands() {
            describe(page, &path, sub);
        }
        return;
    }
    let mut synopsis = path.clone();
    for arg in command.get_positionals() {
        let name = value_name(arg);
        synopsis.push_str(&if arg.is_required_set() {
            format!(" {name}")
        } else {
            format!(" [{name}]")
        });
    }
    if command.get_opts().next().is_some() {
        synopsis.push_str(" [OPTIONS]");
    }
    page.control("SS", [synopsis.as_str()]);
    let about = command
        .get_long_about()
        .or(command.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    paragraphs(page, &about);
    for arg in command.get_arguments() {
        option(page, arg);
    }
    if let Some(after) = command.get_after_help() {
        page.control("PP", []);
        page.control("nf", []);
        page.control("RS", ["4"]);
        for line in after.to_string().lines() {
            page.text([roman(line)]);
        }
        page.control("RE", []);
        page.control("fi", []);
    }
}

/// One option or positional as a `.TP` item: its spelling, then its help, possible values
/// and default.
fn option(page: &mut Roff, arg: &Arg) {
    let mut head: Vec<Inline> = Vec::new();
    if arg.is_positional() {
        head.push(italic(value_name(arg)));
    } else {
        if let Some(short) = arg.get_short() {
            head.push(bold(format!("-{short}")));
            head.push(roman(", "));
        }
        if let Some(long) = arg.get_long() {
            head.push(bold(format!("--{long}")));
        }
        if arg.get_action().takes_values() {
            head.push(roman(" "));
            head.push(italic(value_name(arg)));
        }
    }
    let mut help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        help.push_str(&format!(" [possible values: {}]", values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if !defaults.is_empty() {
        help.push_str(&format!(" [default: {}]", defaults.join(", ")));
    }
    item(page, head, &help);
}

fn item(page: &mut Roff, head: Vec<Inline>, text: &str) {
    page.control("TP", []);
    page.text(head);
    page.text([roman(text)]);
}

fn paragraphs(page: &mut Roff, text: &str) {
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            page.control("PP", []);
        }
        page.text([roman(paragraph.replace('\n', " "))]);
    }
}

fn value_name(arg: &Arg) -> String {
    let name = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
    let repeated = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    if repeated {
        format!("{name}...")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn page() -> String {
        String::from_utf8(render(&crate::cli::args::Cli::command())).unwrap()
    }

    #[test]
    fn the_page_has_every_section_and_points_to_no_missing_page() {
        let page = page();
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH \"GLOBAL OPTIONS\"",
            ".SH COMMANDS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
        ] {
            assert!(page.contains(section), "no {section}");
        }
        // One page for everything: no crm-demo(1) and the like.
        assert!(!page.contains("crm\\-demo"), "points to crm-demo(1)");
        assert!(!page.contains("(1)"), "points to another page");
        for variable in [
            "CRM_DATA",
            "CRM_CONFIG",
            "CRM_USER",
            "CRM_AS_OF",
            "NO_COLOR",
        ] {
            assert!(
                page.contains(variable),
                "{variable} missing from ENVIRONMENT"
            );
        }
    }

    #[test]
    fn every_command_is_described_with_its_options() {
        let page = page();
        for heading in [
            ".SS \"crm log ID [OPTIONS]\"",
            ".SS \"crm pdca act ID [OPTIONS]\"",
            ".SS \"crm find QUERY... [OPTIONS]\"",
            ".SS \"crm man\"",
        ] {
            assert!(page.contains(heading), "no {heading}");
        }
        assert!(
            page.contains("phone, email, meeting"),
            "--channel values missing"
        );
    }
}
