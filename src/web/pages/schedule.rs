//! The day and shift tick boxes that a job lead's form and a job seeker's profile form
//! share (`day_mon` ... `shift_weekend`).

use serde::{Deserialize, Serialize};

use crate::domain::closed_set::Choice;
use crate::domain::leads::{Shift, Weekday};
use crate::web::render::PageCtx;

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ScheduleTicks {
    pub day_mon: String,
    pub day_tue: String,
    pub day_wed: String,
    pub day_thu: String,
    pub day_fri: String,
    pub day_sat: String,
    pub day_sun: String,
    pub shift_day: String,
    pub shift_evening: String,
    pub shift_night: String,
    pub shift_weekend: String,
}

impl ScheduleTicks {
    fn days_ticked(&self) -> [(Weekday, &String); 7] {
        [
            (Weekday::Mon, &self.day_mon),
            (Weekday::Tue, &self.day_tue),
            (Weekday::Wed, &self.day_wed),
            (Weekday::Thu, &self.day_thu),
            (Weekday::Fri, &self.day_fri),
            (Weekday::Sat, &self.day_sat),
            (Weekday::Sun, &self.day_sun),
        ]
    }

    fn shifts_ticked(&self) -> [(Shift, &String); 4] {
        [
            (Shift::Day, &self.shift_day),
            (Shift::Evening, &self.shift_evening),
            (Shift::Night, &self.shift_night),
            (Shift::Weekend, &self.shift_weekend),
        ]
    }

    /// The ticked days, mon..sun.
    pub fn days(&self) -> Vec<Choice<Weekday>> {
        ticked(&self.days_ticked())
    }

    /// The ticked shifts.
    pub fn shifts(&self) -> Vec<Choice<Shift>> {
        ticked(&self.shifts_ticked())
    }

    /// The boxes ticked for these days and shifts.
    pub fn of(days: &[Weekday], shifts: &[Shift]) -> Self {
        let on = |b: bool| if b { "on".to_string() } else { String::new() };
        let d = |x: Weekday| on(days.contains(&x));
        let s = |x: Shift| on(shifts.contains(&x));
        Self {
            day_mon: d(Weekday::Mon),
            day_tue: d(Weekday::Tue),
            day_wed: d(Weekday::Wed),
            day_thu: d(Weekday::Thu),
            day_fri: d(Weekday::Fri),
            day_sat: d(Weekday::Sat),
            day_sun: d(Weekday::Sun),
            shift_day: s(Shift::Day),
            shift_evening: s(Shift::Evening),
            shift_night: s(Shift::Night),
            shift_weekend: s(Shift::Weekend),
        }
    }

    /// The boxes as the form templates show them: (days, shifts).
    pub fn views(&self, ctx: &PageCtx) -> (Vec<Tick>, Vec<Tick>) {
        let view = |group: &'static str, name: &str, key: &str, v: &String| Tick {
            name: format!("{group}_{name}"),
            label: ctx.t(key),
            checked: !v.is_empty(),
            group,
        };
        (
            self.days_ticked()
                .iter()
                .map(|(d, v)| view("day", d.as_str(), d.label_key(), v))
                .collect(),
            self.shifts_ticked()
                .iter()
                .map(|(s, v)| view("shift", s.as_str(), s.label_key(), v))
                .collect(),
        )
    }
}

/// One tick box: its field name, label, whether it is ticked, and its group.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub name: String,
    pub label: String,
    pub checked: bool,
    pub group: &'static str,
}

fn ticked<T: Copy>(boxes: &[(T, &String)]) -> Vec<Choice<T>> {
    boxes
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(x, _)| Choice::Known(*x))
        .collect()
}
