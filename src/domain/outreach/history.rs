//! What the contact history says: the visit kind of the next visit and the next IPS
//! step for the relationship.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::outreach;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::employers::Stage;
use crate::domain::outreach::{Channel, Purpose, VisitKind};
use crate::error::AppError;

/// In-person visits to the employer (by anyone in the organisation), all of them or
/// those before `before`.
pub fn in_person_visits(
    conn: &mut DbConn,
    org_id: i64,
    employer_id: i64,
    before: Option<NaiveDateTime>,
) -> Result<i64, AppError> {
    Ok(db_run!(conn, |c| {
        let mut q = outreach::table
            .filter(outreach::organisation_id.eq(org_id))
            .filter(outreach::employer_id.eq(employer_id))
            .filter(outreach::channel.eq(Channel::InPerson))
            .into_boxed::<Db>();
        if let Some(t) = before {
            q = q.filter(outreach::occurred_at.lt(t));
        }
        q.count().get_result(c)
    })?)
}

/// first, second or ongoing, from the visits before.
pub fn guess_visit_kind(previous_in_person: i64) -> VisitKind {
    match previous_in_person {
        0 => VisitKind::First,
        1 => VisitKind::Second,
        _ => VisitKind::Ongoing,
    }
}

/// The next step the IPS way of building a relationship suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Nobody has met them: introduce yourself in person and ask for a short meeting.
    Introduce,
    /// After a first visit: return to learn about the business and its needs.
    LearnNeeds,
    /// After a learning visit: thank them (a note or a card).
    ThankYou,
    /// Fewer than two visits so far: visit again before presenting a job seeker.
    VisitAgain,
    /// The relationship is ready: present a job seeker whose strengths fit, keep in touch.
    PresentJobSeeker,
    /// The employer asked not to be contacted.
    DoNotContact,
    /// The relationship is paused.
    Paused,
}

impl NextStep {
    pub fn key(self) -> &'static str {
        match self {
            Self::Introduce => "next_step.introduce",
            Self::LearnNeeds => "next_step.learn_needs",
            Self::ThankYou => "next_step.thank_you",
            Self::VisitAgain => "next_step.visit_again",
            Self::PresentJobSeeker => "next_step.present_job_seeker",
            Self::DoNotContact => "next_step.do_not_contact",
            Self::Paused => "next_step.paused",
        }
    }

    /// The purpose a new contact form suggests for this step.
    pub fn purpose(self) -> Purpose {
        match self {
            Self::Introduce | Self::DoNotContact | Self::Paused => Purpose::Introduce,
            Self::LearnNeeds => Purpose::LearnNeeds,
            Self::ThankYou => Purpose::ThankYou,
            Self::VisitAgain => Purpose::FollowUp,
            Self::PresentJobSeeker => Purpose::PresentJobSeeker,
        }
    }
}

/// Entries oldest first as (channel, purpose).
pub fn suggest(stage: Stage, history: &[(Channel, Purpose)]) -> NextStep {
    match stage {
        Stage::DoNotContact => return NextStep::DoNotContact,
        Stage::Paused => return NextStep::Paused,
        _ => {}
    }
    let in_person = history
        .iter()
        .filter(|(ch, _)| *ch == Channel::InPerson)
        .count();
    if in_person == 0 {
        // Nothing logged in person: trust the stage someone set by hand.
        return match stage {
            Stage::NotContacted => NextStep::Introduce,
            Stage::Introduced => NextStep::LearnNeeds,
            _ => NextStep::VisitAgain,
        };
    }
    let last_learn = history.iter().rposition(|(_, p)| *p == Purpose::LearnNeeds);
    match last_learn {
        None => NextStep::LearnNeeds,
        Some(i)
            if !history[i + 1..]
                .iter()
                .any(|(_, p)| *p == Purpose::ThankYou) =>
        {
            NextStep::ThankYou
        }
        Some(_) if in_person < 2 => NextStep::VisitAgain,
        Some(_) => NextStep::PresentJobSeeker,
    }
}

/// Loads the employer's history and suggests the next step.
pub fn next_step(
    conn: &mut DbConn,
    org_id: i64,
    employer_id: i64,
    stage: Stage,
) -> Result<NextStep, AppError> {
    let history: Vec<(Channel, Purpose)> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org_id))
        .filter(outreach::employer_id.eq(employer_id))
        .order((outreach::occurred_at.asc(), outreach::id.asc()))
        .select((outreach::channel, outreach::purpose))
        .load(c))?;
    Ok(suggest(stage, &history))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(items: &[(&str, &str)]) -> Vec<(Channel, Purpose)> {
        items
            .iter()
            .map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap()))
            .collect()
    }

    fn st(s: &str) -> Stage {
        s.parse().unwrap()
    }

    #[test]
    fn the_ips_steps_in_order() {
        assert_eq!(suggest(st("not_contacted"), &[]), NextStep::Introduce);
        assert_eq!(
            suggest(st("not_contacted"), &h(&[("phone", "introduce")])),
            NextStep::Introduce
        );
        assert_eq!(suggest(st("introduced"), &[]), NextStep::LearnNeeds);
        assert_eq!(
            suggest(st("introduced"), &h(&[("in_person", "introduce")])),
            NextStep::LearnNeeds
        );
        let learnt = [("in_person", "introduce"), ("in_person", "learn_needs")];
        assert_eq!(
            suggest(st("learning_needs"), &h(&learnt)),
            NextStep::ThankYou
        );
        let thanked = [
            ("in_person", "introduce"),
            ("in_person", "learn_needs"),
            ("email", "thank_you"),
        ];
        assert_eq!(
            suggest(st("learning_needs"), &h(&thanked)),
            NextStep::PresentJobSeeker
        );
        // Learnt on the phone, met once: visit again before presenting anyone.
        let once = [
            ("in_person", "introduce"),
            ("phone", "learn_needs"),
            ("email", "thank_you"),
        ];
        assert_eq!(
            suggest(st("learning_needs"), &h(&once)),
            NextStep::VisitAgain
        );
        assert_eq!(
            suggest(st("do_not_contact"), &h(&thanked)),
            NextStep::DoNotContact
        );
        assert_eq!(guess_visit_kind(0), VisitKind::First);
        assert_eq!(guess_visit_kind(1), VisitKind::Second);
        assert_eq!(guess_visit_kind(5), VisitKind::Ongoing);
    }
}
