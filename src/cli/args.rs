//! The command line, declared once: parsing, `--help`, completions and the man page all
//! come from these definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "crm",
    version,
    about = "A keyboard-driven console for customer relationships",
    long_about = "A keyboard-driven console for customer relationships.\n\n\
        Without a command, opens the console. Every command that classifies customers \
        accepts --as-of YYYY-MM-DD so results are reproducible.",
    after_help = "Examples:\n  crm demo --open              fill an empty book with a sample and open the console\n  crm find wang                fuzzy lookup\n  crm show acme --json         the customer card as JSON\n  crm log acme --channel phone --direction outbound --outcome positive --note \"called\""
)]
pub struct Cli {
    /// The book's data directory [default: $CRM_DATA, else ~/.local/share/crm]
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Configuration file [default: $CRM_CONFIG, else ~/.config/crm/config.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Classify as of this date instead of today
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Your login, recorded on every change [default: $CRM_USER, else $USER]
    #[arg(long, global = true, value_name = "LOGIN")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the book with a generated, realistic sample (deterministic for a seed)
    #[command(
        after_help = "Examples:\n  crm demo\n  crm demo --customers 100000 --seed 7\n  crm demo --open"
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
        after_help = "Examples:\n  crm import book.json\n  crm import customers.csv\n  crm import contacts.vcf --format vcf\n  crm import update.json --merge"
    )]
    Import {
        file: PathBuf,
        /// Format [default: from the file's extension]
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// Update customers whose id exists already: profile replaced, history appended
        #[arg(long)]
        merge: bool,
    },
    /// Export the book
    #[command(
        after_help = "Examples:\n  crm export -o book.json\n  crm export --format csv -o customers.csv"
    )]
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Fuzzy lookup by name, contact person, phone, email or tag; best first
    #[command(
        after_help = "Examples:\n  crm find muller\n  crm find 华信\n  crm find '5555 0101' --json"
    )]
    Find {
        query: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// The customer card: stage, level, relationship type, value, tier, next-best-actions
    #[command(
        after_help = "Examples:\n  crm show acme\n  crm show acme --json --as-of 2026-01-31"
    )]
    Show {
        /// A customer id, or a query that matches exactly one customer
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Log a contact; returns once it is durable on disk
    #[command(
        after_help = "Examples:\n  crm log acme --channel phone --direction outbound --outcome positive \\\n      --satisfaction 4 --note \"asked about volume pricing\" --follow-up 2026-12-01"
    )]
    Log(LogArgs),
    /// Due and overdue follow-ups, then the top next-best-actions
    #[command(after_help = "Examples:\n  crm agenda\n  crm agenda --owner alice --json")]
    Agenda {
        #[arg(long)]
        json: bool,
        /// Only this owner's customers
        #[arg(long, value_name = "LOGIN")]
        owner: Option<String>,
    },
    /// One line per customer: stage, tier, top action (the console's book list), in id order
    #[command(after_help = "Examples:\n  crm list\n  crm list --json --as-of 2026-01-31")]
    List {
        #[arg(long)]
        json: bool,
    },
    /// Book-level figures: CRM queues, tier pyramid, stages, 80/20/30, retention, capacity plan
    #[command(after_help = "Examples:\n  crm portfolio\n  crm portfolio --capacity 60 --json")]
    Portfolio {
        #[arg(long)]
        json: bool,
        /// Hours a month each owner has for one-to-one work
        #[arg(long, value_name = "HOURS")]
        capacity: Option<f64>,
    },
    /// PDCA improvement cycles: list, show, new, advance, act
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
        #[arg(long)]
        json: bool,
    },
    /// Own the book and serve it to the other crm processes of this machine (team mode)
    #[command(
        after_help = "While it runs, crm commands on the same data dir become its clients.\n\nExamples:\n  crm serve\n  crm serve --socket /srv/crm/team.sock   (a group-shared socket, mode 660)"
    )]
    Serve {
        /// Listen here instead of DIR/crm.sock
        #[arg(long, value_name = "PATH")]
        socket: Option<PathBuf>,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// A customer id, or a query that matches exactly one customer
    pub id: String,
    /// phone | email | meeting | chat | event | letter | other
    #[arg(long)]
    pub channel: String,
    /// inbound | outbound
    #[arg(long)]
    pub direction: String,
    /// positive | neutral | negative | no_response
    #[arg(long)]
    pub outcome: String,
    /// sales | service | complaint | inquiry | follow_up | social | win_back | other
    #[arg(long, default_value = "other")]
    pub purpose: String,
    /// 1..5
    #[arg(long)]
    pub satisfaction: Option<String>,
    /// competitor_mentioned | price_objection | payment_delayed | referral_given (repeatable)
    #[arg(long = "signal")]
    pub signals: Vec<String>,
    #[arg(long, default_value = "")]
    pub note: String,
    /// Opens a follow-up task due on this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub follow_up: Option<String>,
    /// When it happened (RFC 3339, or YYYY-MM-DD[THH:MM]) [default: now]
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
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
