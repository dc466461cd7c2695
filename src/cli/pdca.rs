//! `crm pdca`: improvement cycles on the command line (docs/pdca.md). Every command works
//! as of the global `--as-of`; a refused transition exits 1 with the reason.

use clap::{Args, Subcommand};

use super::pdca_view::{render_list, render_show, value_of, ChainLink, ShowJson};
use super::values::{coded, date, finite};
use super::{print, print_text, CliResult, Context, UserError};
use crate::book::pdca::PlanEdit;
use jiff::civil::Date;
use serde::Serialize;

use crate::domain::model::{ActDecision, Cycle, CycleId, GoalDirection, Metric, Phase, Scope};
use crate::domain::pdca::{self, Plan};
use crate::domain::safe_text::escaped;
use crate::i18n::{decision_label, metric_label, phase_label, scope_text, t, tr};

#[derive(Debug, Args)]
pub struct PdcaArgs {
    #[command(subcommand)]
    pub command: PdcaCommand,
}

/// The `--json` of the commands that change a cycle: the cycle as `crm pdca list --json`
/// prints it, and the cycle `act --decision adjust` opened (null otherwise).
#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print {"cycle": CYCLE, "next": CYCLE or null} as JSON (docs/pdca.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum PdcaCommand {
    /// List cycles, oldest first
    #[command(after_help = "Examples:\n  crm pdca list\n  crm pdca list --phase do --json")]
    List {
        /// Print the cycles as JSON
        #[arg(long)]
        json: bool,
        /// Only cycles in this phase
        #[arg(long, value_parser = coded(Phase::ALL, Phase::code))]
        phase: Option<Phase>,
    },
    /// One cycle: its plan, its metric measured now, and its chain of cycles
    #[command(
        after_help = "Examples:\n  crm pdca show 3\n  crm pdca show 3 --json --as-of 2026-11-22"
    )]
    Show {
        /// The cycle's id (`crm pdca list`)
        id: CycleId,
        /// Print the cycle, its measure now and its chain as JSON
        #[arg(long)]
        json: bool,
    },
    /// Plan a new cycle; the baseline is measured now (as of --as-of)
    #[command(
        after_help = "Examples:\n  crm pdca new --title \"Fewer declines\" --scope owner:alice \\\n      --metric decline_count --direction lower --target 8 --check-date 2027-03-01 \\\n      --notes \"twelve in decline, mostly price\" --action \"call every declining account\""
    )]
    New(NewArgs),
    /// Add an action (a task of the cycle)
    #[command(
        after_help = "Examples:\n  crm pdca add-action 3 call every declining account --due 2027-01-15"
    )]
    AddAction {
        /// The cycle's id
        id: CycleId,
        /// What to do
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// When it is due (YYYY-MM-DD)
        #[arg(long, value_name = "DATE", value_parser = date)]
        due: Option<Date>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Mark action N (as numbered by `show`) done as of --as-of
    #[command(after_help = "Examples:\n  crm pdca done 3 2")]
    Done {
        /// The cycle's id
        id: CycleId,
        /// The action's number, 1, 2, ... as `crm pdca show` lists them
        #[arg(value_parser = clap::value_parser!(u64).range(1..))]
        action: u64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Change the plan: target and check date until the check, notes until the cycle
    /// closes, lessons at any time
    #[command(
        after_help = "Examples:\n  crm pdca set 3 --target 40 --check-date 2027-02-01\n  crm pdca set 2 --lessons \"price declines need an offer\""
    )]
    Set {
        /// The cycle's id
        id: CycleId,
        /// The goal value; shares are 0..1
        #[arg(long, allow_hyphen_values = true, value_parser = finite)]
        target: Option<f64>,
        /// When to check the result (YYYY-MM-DD)
        #[arg(long, value_name = "DATE", value_parser = date)]
        check_date: Option<Date>,
        /// The current state and its causes
        #[arg(long)]
        notes: Option<String>,
        /// What the cycle taught
        #[arg(long)]
        lessons: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Move a cycle one phase on: plan -> do -> check (measures the metric) -> act
    #[command(after_help = "Examples:\n  crm pdca advance 4")]
    Advance {
        /// The cycle's id
        id: CycleId,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Record the act decision and close the cycle; adjust opens the next cycle
    #[command(
        after_help = "Examples:\n  crm pdca act 8 --decision adjust --lessons \"calls came too late\""
    )]
    Act {
        /// The cycle's id
        id: CycleId,
        /// Keep the change as the standard, adjust it in a next cycle, or drop it
        #[arg(long, value_parser = coded(ActDecision::ALL, ActDecision::code))]
        decision: ActDecision,
        /// What the cycle taught
        #[arg(long)]
        lessons: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// A short name for the cycle
    #[arg(long)]
    pub title: String,
    /// book | customer:ID | owner:LOGIN | segment:NAME
    #[arg(long)]
    pub scope: String,
    /// The metric the cycle aims at
    #[arg(long, value_parser = coded(Metric::ALL, Metric::code))]
    pub metric: Metric,
    /// Whether the metric should go up or down
    #[arg(long, value_parser = coded(GoalDirection::ALL, GoalDirection::code))]
    pub direction: GoalDirection,
    /// The goal value; shares (retention_rate, share_of_wallet) are 0..1
    #[arg(long, allow_hyphen_values = true, value_parser = finite)]
    pub target: Option<f64>,
    /// When to check the result (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub check_date: Option<Date>,
    /// The current state and its causes
    #[arg(long, default_value = "")]
    pub notes: String,
    /// An action of the plan (repeatable)
    #[arg(long = "action", value_name = "TEXT")]
    pub actions: Vec<String>,
    /// Print {"cycle": CYCLE, "next": null} as JSON (docs/pdca.md)
    #[arg(long)]
    pub json: bool,
}

/// What a changing command prints with `--json`.
#[derive(Serialize)]
struct Changed<'a> {
    cycle: &'a Cycle,
    next: Option<&'a Cycle>,
}

fn changed(cycle: &Cycle, next: Option<&Cycle>) -> CliResult {
    print(&(serde_json::to_string_pretty(&Changed { cycle, next })? + "\n"))
}

pub fn run(context: &Context, args: PdcaArgs) -> CliResult {
    context.require_book()?;
    let as_of = context.as_of;
    match args.command {
        PdcaCommand::List { json, phase } => {
            let cycles: Vec<Cycle> = super::backend::open(context)?
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
            let mut book = super::backend::open(context)?;
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
            let json = args.json;
            let plan = new_plan(args)?;
            let mut book = super::backend::open(context)?;
            let plan = Plan {
                scope: resolve_scope(&mut *book, plan.scope)?,
                ..plan
            };
            let cycle = book.plan_cycle(plan, as_of)?;
            if json {
                return changed(&cycle, None);
            }
            let baseline = value_of(&cycle, cycle.baseline);
            print_text(
                &(tr(
                    "cli-pdca-planned",
                    &[
                        ("id", &cycle.id.to_string()),
                        ("scope", &escaped(&scope_text(&cycle.scope))),
                        ("metric", &metric_name(&cycle)),
                        ("baseline", &baseline),
                        ("date", &as_of.to_string()),
                    ],
                ) + "\n"),
            )
        }
        PdcaCommand::AddAction {
            id,
            text,
            due,
            json,
        } => {
            let cycle =
                super::backend::open(context)?.add_cycle_action(id, &text.join(" "), due)?;
            if json.json {
                return changed(&cycle, None);
            }
            print_text(
                &(tr(
                    "cli-pdca-action-added",
                    &[
                        ("id", &id.to_string()),
                        ("n", &cycle.actions.len().to_string()),
                    ],
                ) + "\n"),
            )
        }
        PdcaCommand::Done { id, action, json } => {
            let index = usize::try_from(action - 1).unwrap_or(usize::MAX);
            let cycle = super::backend::open(context)?.complete_cycle_action(id, index, as_of)?;
            if json.json {
                return changed(&cycle, None);
            }
            print_text(
                &(tr(
                    "cli-pdca-action-done",
                    &[
                        ("id", &id.to_string()),
                        ("n", &action.to_string()),
                        ("date", &as_of.to_string()),
                    ],
                ) + "\n"),
            )
        }
        PdcaCommand::Set {
            id,
            target,
            check_date,
            notes,
            lessons,
            json,
        } => {
            let edit = PlanEdit {
                target,
                check_date,
                notes,
                lessons,
            };
            let cycle = super::backend::open(context)?.edit_cycle(id, edit)?;
            if json.json {
                return changed(&cycle, None);
            }
            print_text(&(tr("cli-pdca-saved", &[("id", &id.to_string())]) + "\n"))
        }
        PdcaCommand::Advance { id, json } => {
            let mut book = super::backend::open(context)?;
            let from = book.find_cycle(id)?.phase;
            let cycle = book.advance_cycle(id, as_of)?;
            if json.json {
                return changed(&cycle, None);
            }
            let (id, from, to) = (id.to_string(), phase_label(from), phase_label(cycle.phase));
            let line = match (cycle.phase, &cycle.result) {
                (Phase::Check, Some(result)) => tr(
                    "cli-pdca-advanced-checked",
                    &[
                        ("id", &id),
                        ("from", &from),
                        ("to", &to),
                        ("metric", &metric_name(&cycle)),
                        ("value", &value_of(&cycle, Some(result.value))),
                        ("target", &value_of(&cycle, cycle.target)),
                        ("met", &met_text(result)),
                    ],
                ),
                _ => tr(
                    "cli-pdca-advanced",
                    &[("id", &id), ("from", &from), ("to", &to)],
                ),
            };
            print_text(&(line + "\n"))
        }
        PdcaCommand::Act {
            id,
            decision,
            lessons,
            json,
        } => {
            let mut book = super::backend::open(context)?;
            let (cycle, next) =
                book.act_on_cycle(id, decision, lessons.as_deref().unwrap_or(""), as_of)?;
            if json.json {
                return changed(&cycle, next.as_ref());
            }
            let mut out = tr(
                "cli-pdca-closed",
                &[
                    ("id", &id.to_string()),
                    ("decision", &decision_label(decision)),
                ],
            ) + "\n";
            if let Some(next) = next {
                out += &(tr(
                    "cli-pdca-carried",
                    &[
                        ("id", &next.id.to_string()),
                        ("scope", &escaped(&scope_text(&next.scope))),
                        ("metric", &metric_name(&next)),
                        ("baseline", &value_of(&cycle, next.baseline)),
                        ("from", &id.to_string()),
                    ],
                ) + "\n");
            }
            print_text(&out)
        }
    }
}

fn new_plan(args: NewArgs) -> Result<Plan, UserError> {
    Ok(Plan {
        title: args.title,
        scope: pdca::parse_scope(&args.scope).map_err(|_| {
            let error = crate::i18n::scope_error(&args.scope);
            UserError::Message(tr(
                "cli-bad-flag",
                &[("flag", "--scope"), ("error", &error)],
            ))
        })?,
        metric: args.metric,
        direction: args.direction,
        target: args.target,
        check_date: args.check_date,
        notes: args.notes,
        actions: args.actions.into_iter().map(|a| (a, None)).collect(),
    })
}

/// `customer:` takes an id or a query that matches exactly one customer, like `show`.
fn resolve_scope(book: &mut dyn crate::book::BookApi, scope: Scope) -> Result<Scope, UserError> {
    match scope {
        Scope::Customer(query) => Ok(Scope::Customer(book.resolve(&query)?)),
        other => Ok(other),
    }
}

/// A cycle's goal metric as the reader's language names it.
fn metric_name(cycle: &Cycle) -> String {
    cycle
        .metric
        .map_or_else(|| t("pdca-no-metric"), metric_label)
}

fn met_text(result: &crate::domain::model::CheckResult) -> String {
    t(if result.met {
        "pdca-met"
    } else {
        "pdca-not-met"
    })
}
