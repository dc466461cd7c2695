//! What accepting a next-best-action does: most are a conversation (the contact form,
//! pre-filled with a fitting purpose), the rest become a task on the agenda.

use crate::domain::card::ActionCode;
use crate::domain::model::Purpose;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// Open the contact form with this purpose and the action as the note.
    Contact(Purpose),
    /// Open the profile form: the action is about missing data.
    Profile,
    /// Record a task due on the action's due date.
    Task,
}

pub fn acceptance(code: ActionCode) -> Acceptance {
    use ActionCode as A;
    match code {
        A::FollowUpOverdue | A::RaiseIntensity => Acceptance::Contact(Purpose::FollowUp),
        A::QualifyProspect
        | A::NurtureGrowth
        | A::CrossSell
        | A::RetentionOffer
        | A::CounterCompetitor => Acceptance::Contact(Purpose::Sales),
        A::DiagnoseDecline | A::ServiceRecovery | A::EscalateProduct => {
            Acceptance::Contact(Purpose::Service)
        }
        A::WinBack => Acceptance::Contact(Purpose::WinBack),
        A::CheckIn => Acceptance::Contact(Purpose::Social),
        A::CompleteProfile => Acceptance::Profile,
        A::AddSocialBond | A::AddStructuralBond | A::DifferentiatedService | A::LetGo => {
            Acceptance::Task
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_acceptance() {
        assert_eq!(
            acceptance(ActionCode::DiagnoseDecline),
            Acceptance::Contact(Purpose::Service)
        );
        assert_eq!(acceptance(ActionCode::CompleteProfile), Acceptance::Profile);
        assert_eq!(acceptance(ActionCode::AddStructuralBond), Acceptance::Task);
        assert_eq!(
            acceptance(ActionCode::WinBack),
            Acceptance::Contact(Purpose::WinBack)
        );
    }
}
