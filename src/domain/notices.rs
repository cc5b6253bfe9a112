//! Notices: what the domain wants people told (who, what, which record). The domain
//! records them through a `Notifier` inside the change's own transaction; `src/mail`
//! implements it by writing outbox messages, so the domain knows nothing of e-mail.

use chrono::NaiveDateTime;

use crate::db::DbConn;
use crate::domain::contact_days::ContactDayRow;
use crate::domain::Rules;
use crate::error::AppError;

crate::closed_set! {
    /// The kinds of message; each can be turned off by its recipient.
    pub enum Kind ("mail.kind") {
        DayInvitation = "day_invitation",
        DayUpdate = "day_update",
        DayCancellation = "day_cancellation",
        DayReminder = "day_reminder",
        DaySummary = "day_summary",
        WeeklyDigest = "weekly_digest",
        AgreementEnding = "agreement_ending",
        TeamAgenda = "team_agenda",
    }
}

/// A message of `kind` about `day` for each of `to` (user ids).
pub struct Notice<'a> {
    pub day: &'a ContactDayRow,
    pub kind: Kind,
    pub to: &'a [i64],
    /// The day before a move, shown in an update.
    pub was: Option<&'a ContactDayRow>,
    /// Scheduled messages: enqueued once per `<prefix>:<user id>`.
    pub dedupe_prefix: Option<String>,
    /// About the whole recurring series the day begins (its first invitation).
    pub whole_series: bool,
}

impl<'a> Notice<'a> {
    /// A notice about one day (not scheduled, not the whole series).
    pub fn about(
        day: &'a ContactDayRow,
        kind: Kind,
        to: &'a [i64],
        was: Option<&'a ContactDayRow>,
    ) -> Self {
        Self {
            day,
            kind,
            to,
            was,
            dedupe_prefix: None,
            whole_series: false,
        }
    }
}

/// Records notices; implemented by the mail outbox.
pub trait Notifier {
    /// Records the notice about a contact day; answers how many messages it became.
    fn day_notice(
        &self,
        conn: &mut DbConn,
        rules: &Rules,
        notice: Notice<'_>,
        now: NaiveDateTime,
    ) -> Result<usize, AppError>;
}
