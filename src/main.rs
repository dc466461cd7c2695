//! `crm`: parse the command line, run it, exit with its code (0 ok, 1 user error, 2 usage).

use clap::Parser;

fn main() {
    let cli = crm::cli::args::Cli::parse();
    std::process::exit(crm::cli::run(cli));
}
