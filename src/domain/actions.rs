//! Next-best-actions (DOMAIN.md §6): which actions a customer's situation calls for, each
//! with its evidence and a due date, ranked by a fixed priority order.

use jiff::civil::Date;

use super::card::{ActionCode, Level, NextAction, RelationshipType, Stage, Tier};
use super::config::Config;
use super::days::{add_days, day_number};
use super::facts::CustomerFacts;
use super::format::money;
use super::lifecycle::{decline_signals, Hit};
use super::model::LostReason;

/// The ranking, most urgent first: promises already broken, then a relationship slipping
/// away (decline and its remedies), then value at stake (win back, high-value care), then
/// development, then housekeeping. Codes absent here cannot occur.
pub const PRIORITY: [ActionCode; 17] = [
    ActionCode::FollowUpOverdue,
    ActionCode::DiagnoseDecline,
    ActionCode::CounterCompetitor,
    ActionCode::ServiceRecovery,
    ActionCode::EscalateProduct,
    ActionCode::RetentionOffer,
    ActionCode::WinBack,
    ActionCode::CheckIn,
    ActionCode::AddStructuralBond,
    ActionCode::AddSocialBond,
    ActionCode::RaiseIntensity,
    ActionCode::DifferentiatedService,
    ActionCode::CrossSell,
    ActionCode::NurtureGrowth,
    ActionCode::QualifyProspect,
    ActionCode::CompleteProfile,
    ActionCode::LetGo,
];

/// Position in `PRIORITY` (lower is more urgent).
pub fn priority(code: ActionCode) -> usize {
    PRIORITY
        .iter()
        .position(|&c| c == code)
        .unwrap_or(PRIORITY.len())
}

/// What the card knows about a customer beyond its facts.
pub struct Situation<'a> {
    pub facts: &'a CustomerFacts,
    /// The stage evidence, deciding rule first.
    pub stage_evidence: &'a [String],
    pub tier: Option<Tier>,
    pub recommended: RelationshipType,
    pub actual: RelationshipType,
    pub owner_customers: usize,
    pub share_of_wallet: Option<f64>,
    pub win_back_value: f64,
}

fn tier_gold_or_better(tier: Option<Tier>) -> bool {
    matches!(tier, Some(Tier::Platinum | Tier::Gold))
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

struct Builder<'a> {
    as_of: Date,
    cfg: &'a Config,
    actions: Vec<NextAction>,
}

impl Builder<'_> {
    fn push(&mut self, code: ActionCode, action: String, why: Vec<String>, due_in_days: i64) {
        self.actions.push(NextAction {
            code,
            action,
            why,
            due: add_days(self.as_of, due_in_days),
        });
    }

    fn soon(&self) -> i64 {
        self.cfg.actions.default_due_days
    }

    fn urgent(&self) -> i64 {
        self.cfg.actions.decline_contact_days
    }
}

pub fn next_best_actions(s: &Situation, cfg: &Config) -> Vec<NextAction> {
    let f = s.facts;
    let mut b = Builder {
        as_of: f.as_of,
        cfg,
        actions: Vec::new(),
    };
    follow_ups(&mut b, f);
    match f.stage {
        Stage::Churned => churned(&mut b, s),
        Stage::Acquisition => {
            b.push(
                ActionCode::QualifyProspect,
                "Qualify the prospect: learn its needs and present the value proposition through the right channel".into(),
                s.stage_evidence.iter().take(1).cloned().collect(),
                b.soon(),
            );
            complete_profile(&mut b, f);
        }
        Stage::Decline | Stage::Growth | Stage::Maturity => active(&mut b, s),
    }
    let mut actions = b.actions;
    actions.sort_by_key(|a| priority(a.code));
    actions
}

fn follow_ups(b: &mut Builder, f: &CustomerFacts) {
    let Some(oldest) = f.oldest_overdue else {
        return;
    };
    let late = f.as_of_day() - day_number(oldest);
    let count = if f.overdue_follow_ups == 1 {
        "1 follow-up overdue".to_string()
    } else {
        format!("{} follow-ups overdue", f.overdue_follow_ups)
    };
    b.push(
        ActionCode::FollowUpOverdue,
        "Do the follow-up now".into(),
        vec![format!("{count}, oldest due {oldest} ({late} days late)")],
        0,
    );
}

fn complete_profile(b: &mut Builder, f: &CustomerFacts) {
    let mut missing = Vec::new();
    if !f.has_contact {
        missing.push("contact person");
    }
    if f.segment.trim().is_empty() {
        missing.push("segment");
    }
    if f.category_spend.is_none() {
        missing.push("category spend");
    }
    if missing.is_empty() {
        return;
    }
    let list = missing.join(", ");
    b.push(
        ActionCode::CompleteProfile,
        format!("Complete the profile: add the {list}"),
        vec![format!("missing: {list}")],
        b.soon(),
    );
}

fn churned(b: &mut Builder, s: &Situation) {
    let f = s.facts;
    let cost = b.cfg.value.win_back_cost;
    let reason = f.lost.as_ref().map(|l| l.reason);
    let mut why: Vec<String> = s.stage_evidence.iter().take(1).cloned().collect();
    if matches!(
        reason,
        Some(LostReason::Deliberate | LostReason::Involuntary)
    ) {
        b.push(
            ActionCode::LetGo,
            "Let go: close the account politely".into(),
            why,
            b.soon(),
        );
        return;
    }
    let worth = s.win_back_value > cost;
    let comparison = if worth { ">" } else { "≤" };
    why.push(format!(
        "second-lifecycle value {} {comparison} win-back cost {}",
        money(s.win_back_value),
        money(cost)
    ));
    if worth {
        b.push(
            ActionCode::WinBack,
            "Win back: listen, make a plan, keep promises, offer choices, be gracious (a long-term plan when a contract blocks it)".into(),
            why,
            b.soon(),
        );
    } else {
        b.push(
            ActionCode::LetGo,
            "Let go: not worth winning back; close the account politely".into(),
            why,
            b.soon(),
        );
    }
}

fn active(b: &mut Builder, s: &Situation) {
    let f = s.facts;
    let cfg = b.cfg;
    match f.stage {
        Stage::Decline => decline(b, s),
        Stage::Growth => b.push(
            ActionCode::NurtureGrowth,
            "Nurture the growth: clarify real needs, promise and keep the promise, exceed expectations, offer a bundle".into(),
            s.stage_evidence.iter().take(1).cloned().collect(),
            b.soon(),
        ),
        _ => {}
    }
    let tier_text = s.tier.map_or("none", |t| t.code());
    if tier_gold_or_better(s.tier) && f.level < Level::Social {
        b.push(
            ActionCode::AddSocialBond,
            "Add a social bond: a named contact, a club invitation, a personal touch".into(),
            vec![format!("tier {tier_text}, level {}", f.level)],
            b.soon(),
        );
    }
    if s.tier == Some(Tier::Platinum) && f.level < Level::Structural {
        b.push(
            ActionCode::AddStructuralBond,
            "Propose a structural bond: system integration or a dedicated service".into(),
            vec![format!("tier platinum, level {}", f.level)],
            b.soon(),
        );
    }
    if f.stage == Stage::Maturity {
        if let Some(share) = s
            .share_of_wallet
            .filter(|&w| w < cfg.actions.cross_sell_share)
        {
            b.push(
                ActionCode::CrossSell,
                "Cross-sell or up-sell: most of the customer's category spend goes elsewhere"
                    .into(),
                vec![format!(
                    "share of wallet {} (revenue 12 months {} of category spend {}), below {}",
                    percent(share),
                    money(f.revenue_12m),
                    money(f.category_spend.unwrap_or(0.0)),
                    percent(cfg.actions.cross_sell_share)
                )],
                b.soon(),
            );
        }
        if tier_gold_or_better(s.tier) {
            b.push(
                ActionCode::DifferentiatedService,
                "Offer differentiated service for a high-value customer".into(),
                vec![format!("tier {tier_text}, stage maturity")],
                b.soon(),
            );
        }
    }
    if s.actual < s.recommended {
        b.push(
            ActionCode::RaiseIntensity,
            format!(
                "Raise the relationship from {} to {}: schedule outbound check-ins",
                s.actual, s.recommended
            ),
            vec![format!(
                "recommended {} ({} customers for {}, margin rate {}); actual {} ({} inbound, {} outbound in the last {} days)",
                s.recommended,
                s.owner_customers,
                if f.owner.is_empty() { "no owner" } else { &f.owner },
                percent(f.margin_rate),
                s.actual,
                f.inbound_recent,
                f.outbound_recent,
                cfg.intensity.window_days
            )],
            b.soon(),
        );
    }
    if tier_gold_or_better(s.tier) {
        let silent = f
            .last_contact
            .map(|d| f.as_of_day() - day_number(d))
            .filter(|&days| days < cfg.actions.check_in_days);
        if silent.is_none() {
            let since = f
                .last_contact
                .map_or("no contact on record".to_string(), |d| {
                    format!(
                        "no contact for {} days (since {d})",
                        f.as_of_day() - day_number(d)
                    )
                });
            b.push(
                ActionCode::CheckIn,
                "Personal check-in".into(),
                vec![format!("tier {tier_text}, {since}")],
                b.soon(),
            );
        }
    }
    complete_profile(b, f);
}

fn decline(b: &mut Builder, s: &Situation) {
    let f = s.facts;
    let cfg = b.cfg;
    let w = cfg.lifecycle.window_days;
    b.push(
        ActionCode::DiagnoseDecline,
        format!(
            "Contact within {} days and find the cause: price, product, service, a competitor, dropped by us, or involuntary",
            cfg.actions.decline_contact_days
        ),
        s.stage_evidence.to_vec(),
        b.urgent(),
    );
    if f.competitor_last > 0 {
        b.push(
            ActionCode::CounterCompetitor,
            "Counter the competitor: restate our value and answer the offer where it matters"
                .into(),
            vec![format!(
                "competitor mentioned {}× in the last {w} days",
                f.competitor_last
            )],
            b.urgent(),
        );
    }
    if f.complaints_last > 0 {
        b.push(
            ActionCode::ServiceRecovery,
            "Recover the service: apologise, fix the problem, confirm it stays fixed".into(),
            vec![format!(
                "{} complaints or negative outcomes in the last {w} days",
                f.complaints_last
            )],
            b.urgent(),
        );
    }
    if decline_signals(f, cfg).satisfaction == Hit::Fired {
        let mean = f.mean_satisfaction_last().unwrap_or(0.0);
        b.push(
            ActionCode::EscalateProduct,
            "Escalate the product problem: performance is below what the customer expected".into(),
            vec![format!("mean satisfaction {mean:.1} in the last {w} days")],
            b.urgent(),
        );
    }
    if f.price_objection_last > 0 {
        b.push(
            ActionCode::RetentionOffer,
            "Make a retention offer on price".into(),
            vec![format!(
                "price objection {}× in the last {w} days",
                f.price_objection_last
            )],
            b.urgent(),
        );
    }
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
