//! Display names of the domain's codes. The code stays the contract's English spelling
//! (`--json`, command-line arguments); the label is what a person reads. English labels
//! of what the command line shows back as one types it (a purpose, an outcome, a metric:
//! `crm log --purpose follow_up`) are the codes themselves; the console says those in
//! words (`purpose_words`, `outcome_words`, `metric_words`) and never shows a code.

use crate::domain::card::{ActionCode, Level, RelationshipType, Stage, Tier};
use crate::domain::model::{
    ActDecision, BondLevel, Channel, CustomerKind, Direction, GoalDirection, LostReason, Metric,
    Outcome, Phase, Purpose, Role, Signal,
};

use super::t;

/// The name of a Stage in the current language.
pub fn stage_label(value: Stage) -> String {
    t(match value {
        Stage::Acquisition => "stage-acquisition",
        Stage::Growth => "stage-growth",
        Stage::Maturity => "stage-maturity",
        Stage::Decline => "stage-decline",
        Stage::Churned => "stage-churned",
    })
}

/// The name of a Stage in the current language.
pub fn stage_short_label(value: Stage) -> String {
    t(match value {
        Stage::Acquisition => "stage-short-acquisition",
        Stage::Growth => "stage-short-growth",
        Stage::Maturity => "stage-short-maturity",
        Stage::Decline => "stage-short-decline",
        Stage::Churned => "stage-short-churned",
    })
}

/// The name of a Level in the current language.
pub fn level_label(value: Level) -> String {
    t(match value {
        Level::None => "level-none",
        Level::Financial => "level-financial",
        Level::Social => "level-social",
        Level::Structural => "level-structural",
    })
}

/// The name of a Level in the current language.
pub fn level_short_label(value: Level) -> String {
    t(match value {
        Level::None => "level-short-none",
        Level::Financial => "level-short-financial",
        Level::Social => "level-short-social",
        Level::Structural => "level-short-structural",
    })
}

/// The name of a BondLevel in the current language.
pub fn bond_level_label(value: BondLevel) -> String {
    t(match value {
        BondLevel::Financial => "bond-level-financial",
        BondLevel::Social => "bond-level-social",
        BondLevel::Structural => "bond-level-structural",
    })
}

/// The name of a RelationshipType in the current language.
pub fn relationship_label(value: RelationshipType) -> String {
    t(match value {
        RelationshipType::Basic => "relationship-basic",
        RelationshipType::Reactive => "relationship-reactive",
        RelationshipType::Accountable => "relationship-accountable",
        RelationshipType::Proactive => "relationship-proactive",
        RelationshipType::Partnership => "relationship-partnership",
    })
}

/// The name of a Tier in the current language.
pub fn tier_label(value: Tier) -> String {
    t(match value {
        Tier::Platinum => "tier-platinum",
        Tier::Gold => "tier-gold",
        Tier::Iron => "tier-iron",
        Tier::Lead => "tier-lead",
    })
}

/// The name of a Tier in the current language.
pub fn tier_short_label(value: Tier) -> String {
    t(match value {
        Tier::Platinum => "tier-short-platinum",
        Tier::Gold => "tier-short-gold",
        Tier::Iron => "tier-short-iron",
        Tier::Lead => "tier-short-lead",
    })
}

/// The name of a Phase in the current language.
pub fn phase_label(value: Phase) -> String {
    t(match value {
        Phase::Plan => "phase-plan",
        Phase::Do => "phase-do",
        Phase::Check => "phase-check",
        Phase::Act => "phase-act",
        Phase::Closed => "phase-closed",
    })
}

/// The name of a Channel in the current language.
pub fn channel_label(value: Channel) -> String {
    t(match value {
        Channel::Phone => "channel-phone",
        Channel::Email => "channel-email",
        Channel::Meeting => "channel-meeting",
        Channel::Chat => "channel-chat",
        Channel::Event => "channel-event",
        Channel::Letter => "channel-letter",
        Channel::Other => "channel-other",
    })
}

/// The name of a Direction in the current language.
pub fn direction_label(value: Direction) -> String {
    t(match value {
        Direction::Inbound => "direction-inbound",
        Direction::Outbound => "direction-outbound",
    })
}

/// The name of a Purpose in the current language.
pub fn purpose_label(value: Purpose) -> String {
    t(match value {
        Purpose::Sales => "purpose-sales",
        Purpose::Service => "purpose-service",
        Purpose::Complaint => "purpose-complaint",
        Purpose::Inquiry => "purpose-inquiry",
        Purpose::FollowUp => "purpose-followup",
        Purpose::Social => "purpose-social",
        Purpose::WinBack => "purpose-winback",
        Purpose::Other => "purpose-other",
    })
}

/// The name of a Outcome in the current language.
pub fn outcome_label(value: Outcome) -> String {
    t(match value {
        Outcome::Positive => "outcome-positive",
        Outcome::Neutral => "outcome-neutral",
        Outcome::Negative => "outcome-negative",
        Outcome::NoResponse => "outcome-noresponse",
    })
}

/// A Purpose in words, for the console (a label that is a code in English is not).
pub fn purpose_words(value: Purpose) -> String {
    match value {
        Purpose::FollowUp => t("purpose-words-followup"),
        Purpose::WinBack => t("purpose-words-winback"),
        other => purpose_label(other),
    }
}

/// An Outcome in words, for the console.
pub fn outcome_words(value: Outcome) -> String {
    match value {
        Outcome::NoResponse => t("outcome-words-noresponse"),
        other => outcome_label(other),
    }
}

/// The name of a Signal in the current language.
pub fn signal_label(value: Signal) -> String {
    t(match value {
        Signal::CompetitorMentioned => "signal-competitormentioned",
        Signal::PriceObjection => "signal-priceobjection",
        Signal::PaymentDelayed => "signal-paymentdelayed",
        Signal::ReferralGiven => "signal-referralgiven",
    })
}

/// The name of a CustomerKind in the current language.
pub fn customer_kind_label(value: CustomerKind) -> String {
    t(match value {
        CustomerKind::Person => "customer-kind-person",
        CustomerKind::Organization => "customer-kind-organization",
    })
}

/// The name of a LostReason in the current language.
pub fn lost_reason_label(value: LostReason) -> String {
    t(match value {
        LostReason::Price => "lost-reason-price",
        LostReason::Product => "lost-reason-product",
        LostReason::Service => "lost-reason-service",
        LostReason::Competitor => "lost-reason-competitor",
        LostReason::Deliberate => "lost-reason-deliberate",
        LostReason::Involuntary => "lost-reason-involuntary",
    })
}

/// The name of a Metric in the current language.
pub fn metric_label(value: Metric) -> String {
    t(match value {
        Metric::RetentionRate => "metric-retentionrate",
        Metric::DeclineCount => "metric-declinecount",
        Metric::ChurnedCount => "metric-churnedcount",
        Metric::AvgSatisfaction => "metric-avgsatisfaction",
        Metric::ShareOfWallet => "metric-shareofwallet",
        Metric::Margin12m => "metric-margin12m",
        Metric::ContactsPerCustomer => "metric-contactspercustomer",
        Metric::StructuralBonds => "metric-structuralbonds",
        Metric::OverdueFollowups => "metric-overduefollowups",
    })
}

/// A Metric in words, for the console.
pub fn metric_words(value: Metric) -> String {
    t(match value {
        Metric::RetentionRate => "metric-words-retentionrate",
        Metric::DeclineCount => "metric-words-declinecount",
        Metric::ChurnedCount => "metric-words-churnedcount",
        Metric::AvgSatisfaction => "metric-words-avgsatisfaction",
        Metric::ShareOfWallet => "metric-words-shareofwallet",
        Metric::Margin12m => "metric-words-margin12m",
        Metric::ContactsPerCustomer => "metric-words-contactspercustomer",
        Metric::StructuralBonds => "metric-words-structuralbonds",
        Metric::OverdueFollowups => "metric-words-overduefollowups",
    })
}

/// The name of a ActDecision in the current language.
pub fn decision_label(value: ActDecision) -> String {
    t(match value {
        ActDecision::Standardise => "decision-standardise",
        ActDecision::Adjust => "decision-adjust",
        ActDecision::Abandon => "decision-abandon",
    })
}

/// The name of a GoalDirection in the current language.
pub fn goal_direction_label(value: GoalDirection) -> String {
    t(match value {
        GoalDirection::Raise => "goal-direction-raise",
        GoalDirection::Lower => "goal-direction-lower",
    })
}

/// The name of a ActionCode in the current language.
pub fn action_label(value: ActionCode) -> String {
    t(match value {
        ActionCode::FollowUpOverdue => "action-followupoverdue",
        ActionCode::CompleteProfile => "action-completeprofile",
        ActionCode::QualifyProspect => "action-qualifyprospect",
        ActionCode::NurtureGrowth => "action-nurturegrowth",
        ActionCode::AddSocialBond => "action-addsocialbond",
        ActionCode::AddStructuralBond => "action-addstructuralbond",
        ActionCode::CrossSell => "action-crosssell",
        ActionCode::DifferentiatedService => "action-differentiatedservice",
        ActionCode::DiagnoseDecline => "action-diagnosedecline",
        ActionCode::RetentionOffer => "action-retentionoffer",
        ActionCode::ServiceRecovery => "action-servicerecovery",
        ActionCode::EscalateProduct => "action-escalateproduct",
        ActionCode::CounterCompetitor => "action-countercompetitor",
        ActionCode::WinBack => "action-winback",
        ActionCode::LetGo => "action-letgo",
        ActionCode::RaiseIntensity => "action-raiseintensity",
        ActionCode::CheckIn => "action-checkin",
    })
}

/// The name of a user's Role in the current language.
pub fn role_label(value: Role) -> String {
    t(match value {
        Role::Rep => "role-rep",
        Role::Manager => "role-manager",
        Role::Admin => "role-admin",
    })
}

/// A profile field, as field sync names it (`store::merge`, the JSON book format's
/// spelling), in words: the card's and `crm show`'s "changed on two devices".
pub fn profile_field_words(name: &str) -> String {
    let key = match name {
        "name" => "conflict-field-name",
        "kind" => "conflict-field-kind",
        "segment" => "conflict-field-segment",
        "owner" => "conflict-field-owner",
        "created" => "conflict-field-created",
        "tags" => "conflict-field-tags",
        "category_spend" => "conflict-field-category-spend",
        "contacts" => "conflict-field-contacts",
        "note" => "conflict-field-note",
        "lost" => "conflict-field-lost",
        // A field a newer book names: its name, as words.
        other => return other.replace('_', " "),
    };
    t(key)
}

/// A task's text as the reader's language says it. A follow-up's text is stored as the
/// engine words it ("Follow up: NOTE", `domain::follow_up::follow_up_text`: the command
/// line and JSON keep it so); the console says the "Follow up" part in the current language.
pub fn task_text_words(text: &str) -> String {
    if text == "Follow up" {
        return crate::i18n::t("task-follow-up-bare");
    }
    match text.strip_prefix("Follow up: ") {
        Some(note) => crate::i18n::tr("task-follow-up", &[("note", note)]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{set_for_thread, Lang};

    /// Every code has a label in every language: a missing message would show its key.
    #[test]
    fn every_code_has_a_label_in_both_languages() {
        for lang in Lang::ALL {
            set_for_thread(Some(lang));
            let mut labels: Vec<(String, &str)> = Vec::new();
            labels.extend(Stage::ALL.iter().map(|v| (stage_label(*v), "stage-")));
            labels.extend(
                Stage::ALL
                    .iter()
                    .map(|v| (stage_short_label(*v), "stage-short-")),
            );
            labels.extend(Level::ALL.iter().map(|v| (level_label(*v), "level-")));
            labels.extend(
                Level::ALL
                    .iter()
                    .map(|v| (level_short_label(*v), "level-short-")),
            );
            labels.extend(
                BondLevel::ALL
                    .iter()
                    .map(|v| (bond_level_label(*v), "bond-level-")),
            );
            labels.extend(
                RelationshipType::ALL
                    .iter()
                    .map(|v| (relationship_label(*v), "relationship-")),
            );
            labels.extend(Tier::ALL.iter().map(|v| (tier_label(*v), "tier-")));
            labels.extend(
                Tier::ALL
                    .iter()
                    .map(|v| (tier_short_label(*v), "tier-short-")),
            );
            labels.extend(Phase::ALL.iter().map(|v| (phase_label(*v), "phase-")));
            labels.extend(Channel::ALL.iter().map(|v| (channel_label(*v), "channel-")));
            labels.extend(
                Direction::ALL
                    .iter()
                    .map(|v| (direction_label(*v), "direction-")),
            );
            labels.extend(Purpose::ALL.iter().map(|v| (purpose_label(*v), "purpose-")));
            labels.extend(Outcome::ALL.iter().map(|v| (outcome_label(*v), "outcome-")));
            labels.extend(Signal::ALL.iter().map(|v| (signal_label(*v), "signal-")));
            labels.extend(
                CustomerKind::ALL
                    .iter()
                    .map(|v| (customer_kind_label(*v), "customer-kind-")),
            );
            labels.extend(
                LostReason::ALL
                    .iter()
                    .map(|v| (lost_reason_label(*v), "lost-reason-")),
            );
            labels.extend(Metric::ALL.iter().map(|v| (metric_label(*v), "metric-")));
            labels.extend(Metric::ALL.iter().map(|v| (metric_words(*v), "metric-")));
            labels.extend(Purpose::ALL.iter().map(|v| (purpose_words(*v), "purpose-")));
            labels.extend(Outcome::ALL.iter().map(|v| (outcome_words(*v), "outcome-")));
            labels.extend(
                ActDecision::ALL
                    .iter()
                    .map(|v| (decision_label(*v), "decision-")),
            );
            labels.extend(
                GoalDirection::ALL
                    .iter()
                    .map(|v| (goal_direction_label(*v), "goal-direction-")),
            );
            labels.extend(
                ActionCode::ALL
                    .iter()
                    .map(|v| (action_label(*v), "action-")),
            );
            for (label, key_prefix) in &labels {
                assert!(
                    !label.is_empty() && !label.starts_with(key_prefix),
                    "{lang:?}: {label}"
                );
            }
        }
        set_for_thread(None);
    }
}
