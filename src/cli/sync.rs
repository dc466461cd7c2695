//! `crm sync [USER@]HOST[:DIR]`, `crm sync --stdio`, `crm sync --status` (docs/sync.md).
//!
//! The dialling end runs `ssh [USER@]HOST crm [--data DIR] sync --stdio` (or the
//! `--peer-command` given) and exchanges events over its pipes; `--stdio` is the other end,
//! on stdin and stdout. The `--stdio` end checks every event it receives against the account
//! the kernel says runs it (the one ssh logged in), never a name the peer claims.

use std::io::Write;
use std::process::{Command, Stdio};

use super::{print, print_text, CliResult, Context, UserError};
use crate::book::access;
use crate::book::sync::{Options, Report, Status};

pub struct SyncArgs {
    pub target: Option<String>,
    pub stdio: bool,
    pub status: bool,
    pub json: bool,
    pub peer_command: Option<String>,
    pub clear_refused: bool,
}

pub fn run(context: &Context, args: SyncArgs) -> CliResult {
    if args.status || args.clear_refused {
        context.require_book()?;
        let mut book = context.open_book()?;
        if args.clear_refused {
            let n = book.clear_refused()?;
            return print(&format!("forgot {n} refused events\n"));
        }
        let status = book.sync_status()?;
        return if args.json {
            let json = serde_json::to_string_pretty(&status)
                .map_err(|e| UserError::Message(e.to_string()))?;
            print(&(json + "\n"))
        } else {
            print_text(&status_text(&status))
        };
    }
    if args.stdio {
        return stdio(context);
    }
    let (name, mut command) = match (&args.target, &args.peer_command) {
        (_, Some(line)) => {
            let mut command = Command::new("sh");
            command.arg("-c").arg(line);
            (args.target.clone().unwrap_or_else(|| line.clone()), command)
        }
        (Some(target), None) => (target.clone(), ssh_command(target)?),
        // Clap requires one of the ways in.
        (None, None) => {
            return Err(UserError::Message(
                "crm sync needs [USER@]HOST[:DIR], --stdio, --status or --peer-command".into(),
            ))
        }
    };
    let mut book = context.open_book()?;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| {
            UserError::Message(format!("crm sync: cannot start the peer ({name}): {e}"))
        })?;
    let (Some(mut to_peer), Some(from_peer)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        return Err(UserError::Message("crm sync: the peer has no pipes".into()));
    };
    let mut bar = super::progress::Bar::new("receiving events".to_string());
    let mut progress = |done: u64, total: u64| bar.set(done, total);
    let result = book.sync(
        &mut { from_peer },
        &mut to_peer,
        Options {
            peer_name: name.clone(),
            peer: None,
            progress: &mut progress,
        },
    );
    bar.finish();
    drop(to_peer);
    let status = child.wait();
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            let _ = child.kill();
            return Err(e.into());
        }
    };
    if let Ok(status) = status {
        if !status.success() {
            return Err(UserError::Message(format!(
                "crm sync: the peer ({name}) ended with {status} after the exchange"
            )));
        }
    }
    say(&report, args.json)
}

/// The answering end: stdin and stdout are the pipe; the peer is the kernel's account.
fn stdio(context: &Context) -> CliResult {
    context.require_book()?;
    let mut book = context.open_book()?;
    let session = access::local_session(&book, &context.user)?;
    let mut input = std::io::stdin().lock();
    let mut output = std::io::stdout();
    let report = book.sync(
        &mut input,
        &mut output,
        Options {
            peer_name: "stdio".to_string(),
            peer: Some(session),
            progress: &mut |_, _| {},
        },
    )?;
    let _ = output.flush();
    if report.refused_here > 0 {
        eprintln!(
            "crm sync: refused {} events (the sender keeps them, with the reasons)",
            report.refused_here
        );
    }
    Ok(())
}

/// `ssh [USER@]HOST crm [--data DIR] sync --stdio`; `$CRM_SSH` names another ssh.
fn ssh_command(target: &str) -> Result<Command, UserError> {
    let (host, dir) = match target.split_once(':') {
        Some((host, dir)) => (host, Some(dir)),
        None => (target, None),
    };
    if host.is_empty() || host.starts_with('-') || host.contains(char::is_whitespace) {
        return Err(UserError::Message(format!(
            "crm sync: '{target}' is not [USER@]HOST[:DIR]"
        )));
    }
    let ssh = std::env::var("CRM_SSH").unwrap_or_else(|_| "ssh".to_string());
    let mut command = Command::new(ssh);
    let mut remote = "crm".to_string();
    if let Some(dir) = dir.filter(|d| !d.is_empty()) {
        remote.push_str(" --data ");
        remote.push_str(&shell_quote(dir));
    }
    remote.push_str(" sync --stdio");
    command
        .arg("-e")
        .arg("none")
        .arg("--")
        .arg(host)
        .arg(remote);
    Ok(command)
}

/// `text` as one word for the remote shell ssh hands the command to.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn say(report: &Report, json: bool) -> CliResult {
    if json {
        let json =
            serde_json::to_string_pretty(report).map_err(|e| UserError::Message(e.to_string()))?;
        return print(&(json + "\n"));
    }
    let mut line = format!(
        "synced with {}: sent {}, received {} ({} new)",
        report.peer, report.sent, report.received, report.applied
    );
    if report.refused_by_peer > 0 {
        line.push_str(&format!(
            "; {} refused by the peer (crm sync --status lists them)",
            report.refused_by_peer
        ));
    }
    if report.refused_here > 0 {
        line.push_str(&format!("; refused {} from the peer", report.refused_here));
    }
    print_text(&(line + "\n"))
}

fn status_text(status: &Status) -> String {
    let mut out = format!("book {}\n", status.book);
    if status.peers.is_empty() {
        out.push_str("never synced\n");
    }
    for peer in &status.peers {
        out.push_str(&format!(
            "{} ({}): {} to send, {} to receive; last sync {}{}\n",
            peer.name,
            peer.peer,
            peer.to_send,
            peer.to_receive,
            peer.last.strftime("%Y-%m-%d %H:%M UTC"),
            if peer.complete {
                ""
            } else {
                " (interrupted: run crm sync again)"
            }
        ));
    }
    if !status.refused.is_empty() {
        out.push_str(&format!(
            "{} refused by a peer, kept here:\n",
            status.refused.len()
        ));
        for r in &status.refused {
            out.push_str(&format!(
                "  {} by {} at {}: {} — {}\n",
                r.what,
                r.actor,
                r.at.strftime("%Y-%m-%d %H:%M UTC"),
                r.reason,
                r.id
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remote_command_quotes_the_data_dir() {
        let command = ssh_command("ana@field.example:/srv/crm book").unwrap();
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "-e",
                "none",
                "--",
                "ana@field.example",
                "crm --data '/srv/crm book' sync --stdio"
            ]
        );
        let plain = ssh_command("server").unwrap();
        assert_eq!(plain.get_args().last().unwrap(), "crm sync --stdio");
        assert!(ssh_command("-oProxyCommand=x").is_err());
        assert!(ssh_command(":dir").is_err());
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
