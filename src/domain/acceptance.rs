//! What accepting a next-best-action does: most are a conversation (the contact form,
//! pre-filled with a fitting purpose), the rest become a task on the agenda. A rule of the
//! domain, so every front end that offers the actions accepts them alike.

use super::card::ActionCode;
use super::model::Purpose;

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

    /// Every code, by hand: the purpose a conversation is logged with, or the other way.
    #[test]
    fn every_code_has_its_acceptance() {
        use Acceptance::{Contact, Profile, Task};
        use ActionCode as A;
        let expected = [
            (A::FollowUpOverdue, Contact(Purpose::FollowUp)),
            (A::RaiseIntensity, Contact(Purpose::FollowUp)),
            (A::QualifyProspect, Contact(Purpose::Sales)),
            (A::NurtureGrowth, Contact(Purpose::Sales)),
            (A::CrossSell, Contact(Purpose::Sales)),
            (A::RetentionOffer, Contact(Purpose::Sales)),
            (A::CounterCompetitor, Contact(Purpose::Sales)),
            (A::DiagnoseDecline, Contact(Purpose::Service)),
            (A::ServiceRecovery, Contact(Purpose::Service)),
            (A::EscalateProduct, Contact(Purpose::Service)),
            (A::WinBack, Contact(Purpose::WinBack)),
            (A::CheckIn, Contact(Purpose::Social)),
            (A::CompleteProfile, Profile),
            (A::AddSocialBond, Task),
            (A::AddStructuralBond, Task),
            (A::DifferentiatedService, Task),
            (A::LetGo, Task),
        ];
        assert_eq!(
            expected.len(),
            ActionCode::ALL.len(),
            "a code is missing here"
        );
        for (code, acceptance_of) in expected {
            assert_eq!(acceptance(code), acceptance_of, "{code:?}");
        }
    }
}
