//! E-mail templates: `templates/email/<kind>/{subject,text,html}.hbs`, embedded, rendered
//! in the recipient's language. Text and subject are not HTML-escaped; HTML is.

use handlebars::Handlebars;
use serde_json::Value;

use crate::i18n;
use crate::mail::outbox::Kind;

macro_rules! email {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../templates/email/", $name, "/subject.hbs")),
            include_str!(concat!("../../templates/email/", $name, "/text.hbs")),
            include_str!(concat!("../../templates/email/", $name, "/html.hbs")),
        )
    };
}

/// (kind, subject, text, html)
const EMAILS: &[(&str, &str, &str, &str)] = &[
    email!("day_invitation"),
    email!("day_update"),
    email!("day_cancellation"),
    email!("day_reminder"),
    email!("day_summary"),
    email!("weekly_digest"),
    email!("agreement_ending"),
    email!("team_agenda"),
];

const LAYOUT_HTML: &str = include_str!("../../templates/email/layout.hbs");

pub struct MailTemplates {
    plain: Handlebars<'static>,
    html: Handlebars<'static>,
}

impl MailTemplates {
    pub fn new() -> Self {
        // Strict: a field the message data lacks is an error, not an empty string.
        let mut plain = Handlebars::new();
        plain.set_strict_mode(true);
        plain.register_escape_fn(handlebars::no_escape);
        plain.register_helper("t", Box::new(i18n::t_helper(false)));
        let mut html = Handlebars::new();
        html.set_strict_mode(true);
        html.register_helper("t", Box::new(i18n::t_helper(true)));
        html.register_partial("layout", LAYOUT_HTML)
            .unwrap_or_else(|e| panic!("email layout: {e}"));
        for (name, subject, text, body) in EMAILS {
            plain
                .register_template_string(&format!("{name}/subject"), *subject)
                .and_then(|_| plain.register_template_string(&format!("{name}/text"), *text))
                .and_then(|_| html.register_template_string(&format!("{name}/html"), *body))
                .unwrap_or_else(|e| panic!("email template {name}: {e}"));
        }
        Self { plain, html }
    }

    /// (subject, text, html) for a message of `kind` with its payload.
    pub fn render(&self, kind: Kind, data: &Value) -> Result<(String, String, String), String> {
        let name = kind.as_str();
        let r = |hb: &Handlebars, part: &str| {
            hb.render(&format!("{name}/{part}"), data)
                .map_err(|e| format!("email template {name}/{part}: {e}"))
        };
        let subject = r(&self.plain, "subject")?
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_string();
        Ok((subject, r(&self.plain, "text")?, r(&self.html, "html")?))
    }
}

impl Default for MailTemplates {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_templates_and_they_are_strict() {
        let t = MailTemplates::new();
        let thin = serde_json::json!({"lang": "fi", "name": "Anna", "base_url": "http://x"});
        for k in Kind::ALL {
            assert!(EMAILS.iter().any(|e| e.0 == k.as_str()), "{}", k.as_str());
            // Data a producer forgot a field of is an error, not a message with a gap.
            // (Every kind is rendered with real data by the SMTP tests.)
            let err = t.render(*k, &thin).unwrap_err();
            assert!(err.contains("strict mode"), "{}: {err}", k.as_str());
        }
    }

    #[test]
    fn an_invitation_renders_escaped() {
        let data = serde_json::json!({"lang": "fi", "name": "Anna & Co", "base_url": "http://x",
            "date": "26.11.2026", "starts_at": "09:00", "ends_at": "12:00", "place": "Toimisto",
            "theme": null, "host": "Sanna", "dates": null, "link": "/contact-days/1"});
        let (s, text, html) = MailTemplates::new()
            .render(Kind::DayInvitation, &data)
            .unwrap();
        assert!(s.contains("26.11.2026") && text.contains("Anna & Co"));
        assert!(html.contains("<html"), "{html}");
        assert!(!html.contains("Anna & Co"), "HTML must escape");
    }
}
