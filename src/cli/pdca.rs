//! `crm pdca`: improvement cycles on the command line.

use clap::{Args, Subcommand};

use super::{print, CliResult, Context};

#[derive(Debug, Args)]
pub struct PdcaArgs {
    #[command(subcommand)]
    pub command: PdcaCommand,
}

#[derive(Debug, Subcommand)]
pub enum PdcaCommand {
    /// List cycles
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(context: &Context, args: PdcaArgs) -> CliResult {
    let book = context.open_book()?;
    match args.command {
        PdcaCommand::List { json } => {
            let cycles = book.cycles()?;
            if json {
                return print(&(serde_json::to_string_pretty(&cycles)? + "\n"));
            }
            let mut out = String::new();
            for c in &cycles {
                out.push_str(&format!("{}\t{}\t{}\n", c.id, c.phase, c.title));
            }
            print(&out)
        }
    }
}
