//! `crm pdca`: improvement cycles on the command line (docs/pdca.md). Every command works
//! as of the global `--as-of`; a refused transition exits 1 with the reason.

use std::fmt::Write;

use clap::{Args, Subcommand};

use super::context::parse_date;
use super::pdca_view::{
    met_word, metric_code, render_list, render_show, value_of, ChainLink, ShowJson,
};
use super::{print, print_text, CliResult, Context, UserError};
use crate::book::pdca::PlanEdit;
use crate::domain::model::{ActDecision, Cycle, CycleId, GoalDirection, Metric, Phase, Scope};
use crate::domain::pdca::{self, Plan};
use crate::domain::safe_text::escaped;

#[derive(Debug, Args)]
pub struct PdcaArgs {
    #[command(subcommand)]
    pub command: PdcaCommand,
}

#[derive(Debug, Subcommand)]
pub enum PdcaCommand {
    /// List cycles, oldest first
    #[command(after_help = "Examples:\n  crm pdca list\n  crm pdca list --phase do --json")]
    List {
        #[arg(long)]
        json: bool,
        /// Only cycles in this phase: plan | do | check | act | closed
        #[arg(long)]
        phase: Option<String>,
    },
    /// One cycle: its plan, its metric measured now, and its chain of cycles
    #[command(
        after_help = "Examples:\n  crm pdca show 3\n  crm pdca show 3 --json --as-of 2026-04-10"
    )]
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Plan a new cycle; the baseline is measured now (as of --as-of)
    #[command(
        after_help = "Examples:\n  crm pdca new --title \"Fewer declines\" --scope owner:alice \\\n      --metric decline_count --direction lower --target 8 --check-date 2026-04-10 \\\n      --notes \"twelve in decline, mostly price\" --action \"call every declining account\""
    )]
    New(NewArgs),
    /// Add an action (a task of the cycle)
    #[command(
        after_help = "Examples:\n  crm pdca add-action 3 call every declining account --due 2026-02-01"
    )]
    AddAction {
        id: String,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
    },
    /// Mark action N (as numbered by `show`) done as of --as-of
    Done { id: String, action: String },
    /// Change the plan: target and check date until the check, notes until the cycle
    /// closes, lessons at any time
    #[command(
        after_help = "Examples:\n  crm pdca set 3 --target 7 --check-date 2026-05-01\n  crm pdca set 2 --lessons \"price declines need an offer\""
    )]
    Set {
        id: String,
        #[arg(long, allow_hyphen_values = true)]
        target: Option<String>,
        #[arg(long, value_name = "DATE")]
        check_date: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        lessons: Option<String>,
    },
    /// Move a cycle one phase on: plan -> do -> check (measures the metric) -> act
    Advance { id: String },
    /// Record the act decision and close the cycle; adjust opens the next cycle
    #[command(
        after_help = "Examples:\n  crm pdca act 3 --decision adjust --lessons \"calls came too late\""
    )]
    Act {
        id: String,
        /// standardise | adjust | abandon
        #[arg(long)]
        decision: String,
        #[arg(long)]
        lessons: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[arg(long)]
    pub title: String,
    /// book | customer:ID | owner:LOGIN | segment:NAME
    #[arg(long)]
    pub scope: String,
    /// retention_rate | decline_count | churned_count | avg_satisfaction | share_of_wallet |
    /// margin_12m | contacts_per_customer | structural_bonds | overdue_followups
    #[arg(long)]
    pub metric: String,
    /// raise | lower
    #[arg(long)]
    pub direction: String,
    /// The goal value; shares (retention_rate, share_of_wallet) are 0..1
    #[arg(long, allow_hyphen_values = true)]
    pub target: Option<String>,
    /// YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub check_date: Option<String>,
    /// The current state and its causes
    #[arg(long, default_value = "")]
    pub notes: String,
    /// An action of the plan (repeatable)
    #[arg(long = "action")]
    pub actions: Vec<String>,
}

pub fn run(context: &Context, args: PdcaArgs) -> CliResult {
    let as_of = context.as_of;
    match args.command {
        PdcaCommand::List { json, phase } => {
            let phase: Option<Phase> = phase.map(|p| code("--phase", &p)).transpose()?;
            let cycles: Vec<Cycle> = context
                .open_book()?
                .cycles()?
                .into_iter()
                .filter(|c| phase.is_none_or(|p| c.phase == p))
                .collect();
            if json {
                print(&(serde_json::to_string_pretty(&cycles)? + "\n"))
            } else {
                print_text(&render_list(&cycles, as_of))
            }
        }
        PdcaCommand::Show { id, json } => {
            let id = cycle_id(&id)?;
            let mut book = context.open_book()?;
            let cycle = book.find_cycle(id)?;
            let measured_now = book.measure_cycle(id, as_of)?;
            let chain = book.cycle_chain(id)?;
            let view = ShowJson {
                as_of,
                check_overdue: pdca::check_overdue(&cycle, as_of),
                measured_now,
                chain: chain.iter().map(ChainLink::from).collect(),
                cycle,
            };
            if json {
                print(&(serde_json::to_string_pretty(&view)? + "\n"))
            } else {
                print_text(&render_show(&view))
            }
        }
        PdcaCommand::New(args) => {
            let plan = new_plan(args)?;
            let mut book = context.open_book()?;
            let plan = Plan {
                scope: resolve_scope(&book, plan.scope)?,
                ..plan
            };
            let cycle = book.plan_cycle(plan, as_of)?;
            let baseline = value_of(&cycle, cycle.baseline);
            print_text(&format!(
                "planned cycle {} ({}): {} baseline {baseline} as of {as_of}\n",
                cycle.id,
                escaped(&pdca::scope_label(&cycle.scope)),
                metric_code(&cycle)
            ))
        }
        PdcaCommand::AddAction { id, text, due } => {
            let id = cycle_id(&id)?;
            let due = due.map(|d| parse_date("--due", &d)).transpose()?;
            let cycle = context
                .open_book()?
                .add_cycle_action(id, &text.join(" "), due)?;
            print_text(&format!(
                "cycle {id}: action {} added\n",
                cycle.actions.len()
            ))
        }
        PdcaCommand::Done { id, action } => {
            let id = cycle_id(&id)?;
            let number = match action.trim().parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(UserError(format!(
                        "action '{action}' is not an action number (1, 2, ... as `crm pdca show` lists them)"
                    )))
                }
            };
            context
                .open_book()?
                .complete_cycle_action(id, number - 1, as_of)?;
            print_text(&format!("cycle {id}: action {number} done on {as_of}\n"))
        }
        PdcaCommand::Set {
            id,
            target,
            check_date,
            notes,
            lessons,
        } => {
            let id = cycle_id(&id)?;
            let edit = PlanEdit {
                target: target.map(|t| number("--target", &t)).transpose()?,
                check_date: check_date
                    .map(|d| parse_date("--check-date", &d))
                    .transpose()?,
                notes,
                lessons,
            };
            context.open_book()?.edit_cycle(id, edit)?;
            print_text(&format!("cycle {id}: saved\n"))
        }
        PdcaCommand::Advance { id } => {
            let id = cycle_id(&id)?;
            let mut book = context.open_book()?;
            let from = book.find_cycle(id)?.phase;
            let cycle = book.advance_cycle(id, as_of)?;
            let mut line = format!("cycle {id}: {from} -> {}", cycle.phase);
            if let (Phase::Check, Some(result)) = (cycle.phase, &cycle.result) {
                let _ = write!(
                    line,
                    ": {} measured {} against target {}: {}",
                    metric_code(&cycle),
                    value_of(&cycle, Some(result.value)),
                    value_of(&cycle, cycle.target),
                    met_word(result)
                );
            }
            print_text(&(line + "\n"))
        }
        PdcaCommand::Act {
            id,
            decision,
            lessons,
        } => {
            let id = cycle_id(&id)?;
            let decision: ActDecision = code("--decision", &decision)?;
            let mut book = context.open_book()?;
            let (cycle, next) =
                book.act_on_cycle(id, decision, lessons.as_deref().unwrap_or(""), as_of)?;
            let mut out = format!("cycle {id}: closed ({decision})\n");
            if let Some(next) = next {
                let _ = writeln!(
                    out,
                    "planned cycle {} ({}): {} baseline {} carried from cycle {id}",
                    next.id,
                    escaped(&pdca::scope_label(&next.scope)),
                    metric_code(&next),
                    value_of(&cycle, next.baseline)
                );
            }
            print_text(&out)
        }
    }
}

fn new_plan(args: NewArgs) -> Result<Plan, UserError> {
    let metric: Metric = code("--metric", &args.metric)?;
    let direction: GoalDirection = code("--direction", &args.direction)?;
    Ok(Plan {
        title: args.title,
        scope: pdca::parse_scope(&args.scope).map_err(|e| UserError(format!("--scope: {e}")))?,
        metric,
        direction,
        target: args.target.map(|t| number("--target", &t)).transpose()?,
        check_date: args
            .check_date
            .map(|d| parse_date("--check-date", &d))
            .transpose()?,
        notes: args.notes,
        actions: args.actions.into_iter().map(|a| (a, None)).collect(),
    })
}

/// `customer:` takes an id or a query that matches exactly one customer, like `show`.
fn resolve_scope(book: &crate::book::Book, scope: Scope) -> Result<Scope, UserError> {
    match scope {
        Scope::Customer(query) => Ok(Scope::Customer(book.resolve(&query)?)),
        other => Ok(other),
    }
}

fn cycle_id(text: &str) -> Result<CycleId, UserError> {
    text.trim()
        .parse()
        .map_err(|_| UserError(format!("cycle id '{text}' is not a number")))
}

fn number(flag: &str, text: &str) -> Result<f64, UserError> {
    match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(UserError(format!("{flag}: '{text}' is not a number"))),
    }
}

fn code<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, UserError>
where
    T::Err: std::fmt::Display,
{
    text.trim()
        .parse::<T>()
        .map_err(|e| UserError(format!("{flag}: {e}")))
}
