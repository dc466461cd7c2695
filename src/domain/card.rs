//! What the engine says about a customer as of a date: the codes of CONTRACT.md and the
//! customer card that `crm show`, the agenda and the console all render.

use super::text::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::model::{
    coded_enum, Bond, Contact, ContactCorrection, CustomerId, CustomerKind, CycleId, Interaction,
    Lost, Metric, Phase, Task,
};

coded_enum!(Stage {
    Acquisition => "acquisition", Growth => "growth", Maturity => "maturity",
    Decline => "decline", Churned => "churned",
});
coded_enum!(
    /// The relationship-marketing level: the highest rung among active bonds.
    Level { None => "none", Financial => "financial", Social => "social", Structural => "structural" }
);
coded_enum!(RelationshipType {
    Basic => "basic", Reactive => "reactive", Accountable => "accountable",
    Proactive => "proactive", Partnership => "partnership",
});
coded_enum!(Tier { Platinum => "platinum", Gold => "gold", Iron => "iron", Lead => "lead" });
coded_enum!(Quadrant { I => "I", II => "II", III => "III", IV => "IV" });
coded_enum!(ActionCode {
    FollowUpOverdue => "follow_up_overdue", CompleteProfile => "complete_profile",
    QualifyProspect => "qualify_prospect", NurtureGrowth => "nurture_growth",
    AddSocialBond => "add_social_bond", AddStructuralBond => "add_structural_bond",
    CrossSell => "cross_sell", DifferentiatedService => "differentiated_service",
    DiagnoseDecline => "diagnose_decline", RetentionOffer => "retention_offer",
    ServiceRecovery => "service_recovery", EscalateProduct => "escalate_product",
    CounterCompetitor => "counter_competitor", WinBack => "win_back", LetGo => "let_go",
    RaiseIntensity => "raise_intensity", CheckIn => "check_in",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipTypes {
    pub recommended: RelationshipType,
    pub actual: RelationshipType,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueFigures {
    pub margin_12m: f64,
    pub revenue_12m: f64,
    pub cost_to_serve: f64,
    pub clv: f64,
    pub crv: f64,
    /// `None` when the category spend is unknown.
    pub share_of_wallet: Option<f64>,
    /// Headroom: category spend × margin rate − current margin, at least 0.
    pub potential: f64,
    pub retention_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BondView {
    pub level: super::model::BondLevel,
    pub kind: String,
    pub since: Date,
    pub until: Option<Date>,
    pub active: bool,
}

impl BondView {
    pub fn of(bond: &Bond, as_of: Date) -> Self {
        BondView {
            level: bond.level,
            kind: bond.kind.clone(),
            since: bond.since,
            until: bond.until,
            active: bond.active_on(as_of),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextAction {
    pub code: ActionCode,
    pub action: String,
    /// `action` as a message for the front ends (not part of the JSON).
    #[serde(skip)]
    pub action_said: Text,
    pub why: Vec<String>,
    /// `why` as messages (not part of the JSON; empty in a card read back from JSON).
    #[serde(skip)]
    pub why_said: Vec<Text>,
    pub due: Date,
}

/// A month of the margin chart: `month` is "YYYY-MM".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthMargin {
    pub month: String,
    pub margin: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleRef {
    pub id: CycleId,
    pub title: String,
    pub phase: Phase,
    pub metric: Option<Metric>,
}

/// The customer card (CONTRACT.md `crm show --json`, plus what the console shows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: CustomerId,
    pub name: String,
    pub owner: String,
    pub as_of: Date,
    pub kind: CustomerKind,
    pub segment: String,
    pub tags: Vec<String>,
    pub category_spend: Option<f64>,
    pub contacts: Vec<Contact>,
    pub note: String,
    pub lost: Option<Lost>,
    pub stage: Stage,
    pub second_lifecycle: bool,
    pub stage_evidence: Vec<String>,
    /// `stage_evidence` as messages for the front ends (same words; not part of the JSON:
    /// a card read back from JSON has none, and its English lines are shown).
    #[serde(skip)]
    pub stage_evidence_said: Vec<Text>,
    pub quadrant: Quadrant,
    pub level: Level,
    /// Set when the ladder has a gap, e.g. "structural, social rung missing".
    pub level_note: Option<String>,
    /// `level_note` as a message (not part of the JSON).
    #[serde(skip)]
    pub level_note_said: Option<Text>,
    pub bonds: Vec<BondView>,
    pub relationship_type: RelationshipTypes,
    pub value: ValueFigures,
    pub tier: Option<Tier>,
    pub next_actions: Vec<NextAction>,
    /// Newest first.
    pub recent_interactions: Vec<Interaction>,
    pub open_tasks: Vec<Task>,
    /// The last 24 months, oldest first.
    pub monthly_margin: Vec<MonthMargin>,
    pub last_contact: Option<Date>,
    pub cycles: Vec<CycleRef>,
    /// Profile fields two devices changed without seeing each other's edit (the later one
    /// is shown; the other is in the audit trail), until someone edits them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed_on_two_devices: Vec<String>,
    /// Marked lost on one device and contacted on another that had not seen the mark:
    /// someone must decide (mark lost again, or clear the mark).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lost_but_contacted: bool,
    /// The corrections of the customer's logged contacts, oldest first: each with the
    /// version it replaced (DOMAIN.md: corrections keep the old version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<ContactCorrection>,
}

impl Card {
    /// The corrections of `contact` (any version of it), oldest first.
    pub fn corrections_of(&self, contact: &Interaction) -> Vec<&ContactCorrection> {
        self.corrections
            .iter()
            .filter(|c| c.previous.same_contact(contact))
            .collect()
    }
}

/// One line of the book list: enough to list, filter and sort without decoding histories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub id: CustomerId,
    pub name: String,
    pub owner: String,
    pub segment: String,
    pub as_of: Date,
    pub stage: Stage,
    pub second_lifecycle: bool,
    pub level: Level,
    pub tier: Option<Tier>,
    pub top_action: Option<ActionCode>,
    pub top_action_due: Option<Date>,
    pub last_contact: Option<Date>,
    pub margin_12m: f64,
    pub crv: f64,
    /// Earliest due date among open tasks.
    pub next_due: Option<Date>,
}

impl Summary {
    /// What the book list sorts names by (then by id): case-blind.
    pub fn name_key(&self) -> String {
        self.name.to_lowercase()
    }
}
