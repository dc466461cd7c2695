//! The command line, declared once: parsing, `--help`, completions and the man page all
//! come from these definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use jiff::Timestamp;

use super::values::{coded, date, datetime, hours};
use crate::domain::model::{Channel, Direction, Outcome, Purpose, Signal};

/// The heading the global options stand under in `--help` and the man page.
pub const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "crm",
    version,
    about = "A keyboard-driven console for customer relationships",
    long_about = "A keyboard-driven console for customer relationships.\n\n\
        Without a command, opens the console. Every command that classifies customers \
        accepts --as-of YYYY-MM-DD so results are reproducible.",
    after_help = "Examples:\n  crm demo --open              # fill an empty book with a sample and open the console\n  crm find wang                # fuzzy lookup\n  crm show acme --json         # the customer card as JSON\n  crm log acme --channel phone --direction outbound --outcome positive --note \"called\"\n\n\
        Exit status: 0 success, 1 a user error (one line on stderr), 2 a usage error."
)]
pub struct Cli {
    /// The book's data directory [default: $CRM_DATA, else ~/.local/share/crm]
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub data: Option<PathBuf>,
    /// Configuration file [default: $CRM_CONFIG, else ~/.config/crm/config.toml]
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// Classify as of this date instead of today [default: $CRM_AS_OF, else today]
    #[arg(long, global = true, value_name = "YYYY-MM-DD", help_heading = GLOBAL, env = "CRM_AS_OF", hide_env = true)]
    pub as_of: Option<String>,
    /// Your login on a book you open yourself [default: $CRM_USER, else $USER]; a served book records your Unix login
    #[arg(long, global = true, value_name = "LOGIN", help_heading = GLOBAL)]
    pub user: Option<String>,
    /// Keep the book in PostgreSQL at this URL (postgres://USER@HOST/DB) [default: $CRM_STORE, else the config's [store] url, else the data directory]
    #[arg(long, global = true, value_name = "URL", help_heading = GLOBAL)]
    pub store: Option<String>,
    /// The socket of the book's server [default: $CRM_SOCKET, else DIR/crm.sock]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL, value_hint = clap::ValueHint::FilePath)]
    pub socket: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the book with a generated, realistic sample (deterministic for a seed)
    #[command(
        after_help = "Examples:\n  crm demo\n  crm demo --customers 1000 --seed 7\n  crm demo --open"
    )]
    Demo {
        /// How many customers
        #[arg(long, default_value_t = 300)]
        customers: usize,
        /// Seed of the generator: the same seed gives the same book
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Replace a book that is not empty
        #[arg(long)]
        force: bool,
        /// Open the console afterwards (an existing book is opened as it is)
        #[arg(long)]
        open: bool,
    },
    /// Import a book or customers, all or nothing
    #[command(
        after_help = "Examples:\n  crm import customers.csv\n  crm import contacts.vcf --json\n  crm import book.json --merge"
    )]
    Import {
        /// The file to read: a JSON book, a CSV of customers or a vCard file
        #[arg(value_hint = clap::ValueHint::FilePath)]
        file: PathBuf,
        /// Format [default: from the file's extension]
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// Update customers whose id exists already: profile replaced, history appended
        #[arg(long)]
        merge: bool,
        /// Print what was imported as JSON (counts and the customers' ids)
        #[arg(long)]
        json: bool,
    },
    /// Export the book
    #[command(
        after_help = "Examples:\n  crm export -o book.json\n  crm export --format csv -o customers.csv"
    )]
    Export {
        /// Format of the export (json round-trips through import)
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        output: Option<PathBuf>,
    },
    /// Fuzzy lookup by name, contact person, phone, email or tag; best first
    #[command(
        after_help = "Examples:\n  crm find muller\n  crm find 华信\n  crm find '5555 0101' --json"
    )]
    Find {
        /// What to look for; several words are one query
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// At most this many hits
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the hits as JSON: [{"id", "name", "score"}, ...]
        #[arg(long)]
        json: bool,
    },
    /// The customer card: stage, level, relationship type, value, tier, next-best-actions
    #[command(
        after_help = "Examples:\n  crm show acme\n  crm show acme --json --as-of 2026-11-22"
    )]
    Show {
        /// A customer id, or a query naming one customer (as `crm find` matches it)
        id: String,
        /// Print the card as JSON (CONTRACT.md)
        #[arg(long)]
        json: bool,
    },
    /// Log a contact; returns once it is durable on disk
    #[command(
        after_help = "Logging a contact closes the customer's earlier open follow-ups.\n\nExamples:\n  crm log acme --channel phone --direction outbound --outcome positive \\\n      --satisfaction 4 --note \"asked about volume pricing\" --follow-up 2026-12-01\n  crm log 华信 --channel email --direction inbound --outcome neutral --json"
    )]
    Log(LogArgs),
    /// Correct a logged contact; the old version is kept (journal, audit trail, card)
    #[command(
        after_help = "The contact is the customer's contact at --at (as `crm show --json` gives its \
        time), or its last one (--last); the options given replace its fields, the others are \
        kept. Its follow-up task moves to the new date, or goes with --no-follow-up (a follow-up \
        already done stays).\n\n\
        Examples:\n  crm correct acme --last --outcome negative \\\n      \
        --note \"asked about volume pricing; too dear\"\n  crm correct acme --last --note \"called back twice\" --no-follow-up --json"
    )]
    Correct(CorrectArgs),
    /// Due and overdue follow-ups, then the top next-best-actions
    #[command(after_help = "Examples:\n  crm agenda\n  crm agenda --owner alice --json")]
    Agenda {
        /// Print the agenda as JSON
        #[arg(long)]
        json: bool,
        /// Only this owner's customers
        #[arg(long, value_name = "LOGIN")]
        owner: Option<String>,
    },
    /// One line per customer: stage, tier, top action (the console's book list), in id order
    #[command(after_help = "Examples:\n  crm list\n  crm list --json --as-of 2026-01-31")]
    List {
        /// Print the lines as JSON
        #[arg(long)]
        json: bool,
    },
    /// Book-level figures: CRM queues, tier pyramid, stages, 80/20/30, retention, capacity plan
    #[command(after_help = "Examples:\n  crm portfolio\n  crm portfolio --capacity 60 --json")]
    Portfolio {
        /// Print the figures as JSON
        #[arg(long)]
        json: bool,
        /// Hours a month each owner has for one-to-one work (0 or more)
        #[arg(long, value_name = "HOURS", value_parser = hours, allow_hyphen_values = true)]
        capacity: Option<f64>,
    },
    /// PDCA improvement cycles: list, show, new, add-action, done, set, advance, act
    Pdca(crate::cli::pdca::PdcaArgs),
    /// Verify the journal and the index; --repair salvages every good record
    #[command(
        after_help = "Exits 0 when the book is whole, 1 when something is damaged.\n\n\
        --repair writes every good record to a fresh journal, keeps the damaged one beside it \
        (journal.damaged-<time>), rebuilds the index and lists what was lost.\n\n\
        Examples:\n  crm check\n  crm check --json\n  crm check --repair"
    )]
    Check {
        /// Salvage every good record into a fresh journal and rebuild the index
        #[arg(long)]
        repair: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Who changed what and when, from the journal (within what you may see)
    #[command(
        after_help = "With --user LOGIN (the global option, given here) only the changes that login made \
        are listed. Each line: sequence, local time, login, what changed.\n\n\
        Examples:\n  crm audit\n  crm audit --customer acme --since 2026-11-01\n  crm audit --user bob --json"
    )]
    Audit {
        /// Only the changes to this customer (an id, or a query naming one customer)
        #[arg(long, value_name = "ID")]
        customer: Option<String>,
        /// Only the changes made on or after this date (YYYY-MM-DD, local time) or instant
        #[arg(long, value_name = "DATE", value_parser = datetime)]
        since: Option<Timestamp>,
        /// Print the changes as JSON: [{"seq", "at", "user", "kind", "customers", ...}]
        #[arg(long)]
        json: bool,
    },
    /// The book's users: add, list, set (login, name, role rep|manager|admin, team)
    User(crate::cli::user::UserArgs),
    /// Own the book and serve it to the other crm processes of this machine (team mode)
    #[command(
        after_help = "While it runs, crm commands on the same data dir become its clients. \
        Ctrl-C or SIGTERM stops it and removes the socket.\n\nExamples:\n  crm serve\n  crm serve --socket team.sock    # a socket for a group to share (mode 660)"
    )]
    Serve,
    /// Move the book in the data directory to PostgreSQL, or back, losslessly
    #[command(
        after_help = "Every change moves, with its author and time; the receiving book must be empty.\n\nExamples:\n  crm migrate --to postgres://crm@db.example/sales\n  crm --data ~/book-copy migrate --from postgres://crm@db.example/sales"
    )]
    Migrate {
        /// The PostgreSQL database to move the book in --data to
        #[arg(
            long,
            value_name = "URL",
            required_unless_present = "from",
            conflicts_with = "from"
        )]
        to: Option<String>,
        /// The PostgreSQL database to move the book from, into --data
        #[arg(long, value_name = "URL")]
        from: Option<String>,
    },
    /// Exchange events with another book: over ssh, or on stdin/stdout (docs/sync.md)
    #[command(
        group(clap::ArgGroup::new("way").required(true).args(["target", "stdio", "status", "peer_command", "clear_refused"])),
        after_help = "Each book sends the events the other lacks; a sync cut off at any point is \
        finished by running it again. The --stdio end checks what it receives against the \
        account that runs it (a rep may change only their own customers). Over ssh, \
        `crm sync ana@crm.example.com` runs `ssh ana@crm.example.com crm sync --stdio`, and \
        `crm sync crm.example.com:/srv/crm/book` names the data dir there.\n\nExamples:\n  \
        crm sync --status                         # what waits to go each way, refused events\n  \
        crm --data laptop sync --peer-command 'crm sync --stdio'   # any pipe: here, to the book in $CRM_DATA"
    )]
    Sync {
        /// The other book: [USER@]HOST[:DATA_DIR], reached with `ssh` ($CRM_SSH)
        #[arg(value_name = "[USER@]HOST[:DIR]")]
        target: Option<String>,
        /// Be the other end: the exchange on stdin and stdout
        #[arg(long, conflicts_with_all = ["target", "peer_command", "status"])]
        stdio: bool,
        /// Say what waits to go each way and which events a peer refused
        #[arg(long)]
        status: bool,
        /// Reach the peer by running this shell command instead of ssh
        #[arg(long, value_name = "COMMAND")]
        peer_command: Option<String>,
        /// Forget the refused events listed by --status (once read)
        #[arg(long)]
        clear_refused: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Print shell completions (they complete commands, options and option values)
    #[command(
        after_help = "Examples:\n  crm completions bash > crm.bash    # then: source crm.bash\n  crm completions zsh > _crm"
    )]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "Examples:\n  crm man > crm.1    # then: man ./crm.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// A customer id, or a query naming one customer (as `crm find` matches it)
    pub id: String,
    /// How the contact happened
    #[arg(long, value_parser = coded(Channel::ALL, Channel::code))]
    pub channel: Channel,
    /// Who reached out
    #[arg(long, value_parser = coded(Direction::ALL, Direction::code))]
    pub direction: Direction,
    /// How it went
    #[arg(long, value_parser = coded(Outcome::ALL, Outcome::code))]
    pub outcome: Outcome,
    /// What it was about
    #[arg(long, default_value = "other", value_parser = coded(Purpose::ALL, Purpose::code))]
    pub purpose: Purpose,
    /// The customer's satisfaction, 1 (poor) to 5 (very good)
    #[arg(long, value_name = "1..5", value_parser = clap::value_parser!(u8).range(1..=5))]
    pub satisfaction: Option<u8>,
    /// A signal heard in the contact (repeatable)
    #[arg(long = "signal", value_name = "SIGNAL", value_parser = coded(Signal::ALL, Signal::code))]
    pub signals: Vec<Signal>,
    /// What was said; its first line names the follow-up task
    #[arg(long, default_value = "")]
    pub note: String,
    /// Opens a follow-up task due on this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub follow_up: Option<Date>,
    /// When it happened (RFC 3339, or YYYY-MM-DD[THH:MM]) [default: now]
    #[arg(long, value_name = "DATETIME", value_parser = datetime)]
    pub at: Option<Timestamp>,
    /// Print the logged contact as JSON: {"customer", "at", "follow_up_task", "closed_tasks"}
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CorrectArgs {
    /// A customer id, or a query naming one customer (as `crm find` matches it)
    pub id: String,
    /// When the contact happened: which contact to correct (RFC 3339, or YYYY-MM-DD[THH:MM])
    #[arg(long, value_name = "DATETIME", value_parser = datetime, required_unless_present = "last", conflicts_with = "last")]
    pub at: Option<Timestamp>,
    /// Correct the customer's last contact
    #[arg(long)]
    pub last: bool,
    /// How the contact happened
    #[arg(long, value_parser = coded(Channel::ALL, Channel::code))]
    pub channel: Option<Channel>,
    /// Who reached out
    #[arg(long, value_parser = coded(Direction::ALL, Direction::code))]
    pub direction: Option<Direction>,
    /// How it went
    #[arg(long, value_parser = coded(Outcome::ALL, Outcome::code))]
    pub outcome: Option<Outcome>,
    /// What it was about
    #[arg(long, value_parser = coded(Purpose::ALL, Purpose::code))]
    pub purpose: Option<Purpose>,
    /// The customer's satisfaction, 1 (poor) to 5 (very good)
    #[arg(long, value_name = "1..5", value_parser = clap::value_parser!(u8).range(1..=5), conflicts_with = "no_satisfaction")]
    pub satisfaction: Option<u8>,
    /// No satisfaction given
    #[arg(long)]
    pub no_satisfaction: bool,
    /// The signals heard (repeatable; replaces the contact's signals)
    #[arg(long = "signal", value_name = "SIGNAL", value_parser = coded(Signal::ALL, Signal::code), conflicts_with = "no_signals")]
    pub signals: Vec<Signal>,
    /// No signals heard
    #[arg(long)]
    pub no_signals: bool,
    /// What was said
    #[arg(long)]
    pub note: Option<String>,
    /// The follow-up date (YYYY-MM-DD); its task moves there
    #[arg(long, value_name = "DATE", value_parser = date, conflicts_with = "no_follow_up")]
    pub follow_up: Option<Date>,
    /// No follow-up: the open task it opened goes
    #[arg(long)]
    pub no_follow_up: bool,
    /// Print the corrected contact as JSON: {"customer", "previous", "corrected"}
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    Json,
    Csv,
    Vcf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every argument of every command, with the path of commands leading to it.
    fn each_arg(command: &clap::Command, path: String, out: &mut Vec<(String, clap::Arg)>) {
        for arg in command.get_arguments() {
            out.push((path.clone(), arg.clone()));
        }
        for sub in command.get_subcommands() {
            each_arg(sub, format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_option_and_argument_has_help_text() {
        let mut args = Vec::new();
        each_arg(&Cli::command(), "crm".into(), &mut args);
        assert!(args.len() > 60, "only {} arguments found", args.len());
        let missing: Vec<String> = args
            .iter()
            .filter(|(_, arg)| {
                arg.get_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
            })
            .map(|(path, arg)| format!("{path} {}", arg.get_id()))
            .collect();
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }

    #[test]
    fn global_options_stand_under_their_own_heading() {
        let cli = Cli::command();
        let global: Vec<&str> = cli
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().as_str())
            .collect();
        assert_eq!(
            global,
            ["data", "config", "as_of", "user", "store", "socket"]
        );
        for arg in cli.get_arguments().filter(|a| a.is_global_set()) {
            assert_eq!(arg.get_help_heading(), Some(GLOBAL), "{}", arg.get_id());
        }
    }

    #[test]
    fn completions_offer_the_values_of_options() {
        let mut script = Vec::new();
        clap_complete::generate(
            clap_complete::Shell::Bash,
            &mut Cli::command(),
            "crm",
            &mut script,
        );
        let script = String::from_utf8(script).unwrap();
        for values in [
            "phone email meeting chat event letter other",
            "inbound outbound",
            "positive neutral negative no_response",
            "retention_rate decline_count",
            "raise lower",
            "standardise adjust abandon",
            "plan do check act closed",
            "json csv vcf",
        ] {
            assert!(script.contains(values), "'{values}' not offered");
        }
    }
}
