//! E-mail: settings, the transport (SMTP or .eml files), the templates and the outbox.
//!
//! Nothing sends mail directly. A change that should tell someone writes an outbox row in
//! its own transaction (`outbox::enqueue`); the worker (`worker`) renders and sends it with
//! retries, so an SMTP outage or a restart loses nothing.

pub mod agenda_mail;
pub mod contact_day;
pub mod digest;
pub mod outbox;
pub mod templates;
pub mod worker;

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};
use serde::Deserialize;

use crate::config::{bad, ConfigError};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMailSettings {
    pub transport: String,
    pub file_dir: String,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: String,
    pub smtp_user: String,
    #[serde(default)]
    pub smtp_password: Option<String>,
    pub base_url: String,
    pub poll_seconds: u64,
    pub max_attempts: i32,
    pub send_hour: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    None,
    StartTls,
    Tls,
}

#[derive(Debug, Clone)]
pub enum TransportKind {
    File(PathBuf),
    Smtp {
        host: String,
        port: u16,
        security: Security,
        user: Option<(String, String)>,
    },
}

/// Checked mail settings.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: TransportKind,
    pub from: Mailbox,
    pub base_url: String,
    pub poll_seconds: u64,
    pub max_attempts: i32,
    pub send_hour: u32,
}

impl RawMailSettings {
    pub fn check(self) -> Result<MailSettings, ConfigError> {
        let from: Mailbox = self.from.parse().map_err(|_| {
            bad(
                "mail.from",
                "an address such as \"Placefirst <ips@example.fi>\"",
                &self.from,
            )
        })?;
        let security = match self.smtp_security.as_str() {
            "none" => Security::None,
            "starttls" => Security::StartTls,
            "tls" => Security::Tls,
            other => {
                return Err(bad(
                    "mail.smtp_security",
                    "\"none\", \"starttls\" or \"tls\"",
                    other,
                ))
            }
        };
        let transport = match self.transport.as_str() {
            "file" => {
                if self.file_dir.trim().is_empty() {
                    return Err(bad("mail.file_dir", "a folder", ""));
                }
                TransportKind::File(PathBuf::from(self.file_dir))
            }
            "smtp" => {
                if self.smtp_host.trim().is_empty() {
                    return Err(bad("mail.smtp_host", "a host name", ""));
                }
                let user = (!self.smtp_user.is_empty()).then(|| {
                    (
                        self.smtp_user.clone(),
                        self.smtp_password.clone().unwrap_or_default(),
                    )
                });
                TransportKind::Smtp {
                    host: self.smtp_host,
                    port: self.smtp_port,
                    security,
                    user,
                }
            }
            other => return Err(bad("mail.transport", "\"smtp\" or \"file\"", other)),
        };
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(bad("mail.base_url", "an http(s) address", &self.base_url));
        }
        if !(1..=100).contains(&self.max_attempts) {
            return Err(bad(
                "mail.max_attempts",
                "a number from 1 to 100",
                self.max_attempts,
            ));
        }
        if self.send_hour > 23 {
            return Err(bad(
                "mail.send_hour",
                "an hour from 0 to 23",
                self.send_hour,
            ));
        }
        if self.poll_seconds > 86_400 {
            return Err(bad(
                "mail.poll_seconds",
                "seconds from 0 to 86400",
                self.poll_seconds,
            ));
        }
        Ok(MailSettings {
            transport,
            from,
            base_url: self.base_url.trim_end_matches('/').to_string(),
            poll_seconds: self.poll_seconds,
            max_attempts: self.max_attempts,
            send_hour: self.send_hour,
        })
    }
}

/// One message ready for the wire.
pub struct Outgoing {
    pub to: String,
    pub message_id: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// (the .ics, its METHOD)
    pub ics: Option<(String, String)>,
}

/// Sends mail over the configured transport.
pub struct Mailer {
    from: Mailbox,
    transport: Inner,
}

enum Inner {
    File(FileTransport),
    Smtp(SmtpTransport),
}

impl Mailer {
    pub fn new(s: &MailSettings) -> Result<Self, String> {
        let transport = match &s.transport {
            TransportKind::File(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("mail folder {}: {e}", dir.display()))?;
                Inner::File(FileTransport::new(dir))
            }
            TransportKind::Smtp {
                host,
                port,
                security,
                user,
            } => {
                let builder = match security {
                    Security::None => SmtpTransport::builder_dangerous(host).tls(Tls::None),
                    Security::StartTls => SmtpTransport::starttls_relay(host)
                        .map_err(|e| format!("SMTP {host}: {e}"))?,
                    Security::Tls => {
                        SmtpTransport::relay(host).map_err(|e| format!("SMTP {host}: {e}"))?
                    }
                };
                let mut builder = builder.port(*port).timeout(Some(Duration::from_secs(20)));
                if let Some((u, p)) = user {
                    builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
                }
                Inner::Smtp(builder.build())
            }
        };
        Ok(Self {
            from: s.from.clone(),
            transport,
        })
    }

    /// Builds the MIME message: text and HTML alternatives, and the .ics (if any) both as
    /// the calendar alternative that mail clients act on and as an attachment.
    pub fn build(&self, m: &Outgoing) -> Result<Message, String> {
        let to: Mailbox =
            m.to.parse()
                .map_err(|e| format!("recipient {}: {e}", m.to))?;
        let alternative = MultiPart::alternative()
            .singlepart(SinglePart::plain(m.text.clone()))
            .singlepart(SinglePart::html(m.html.clone()));
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<{}>", m.message_id)));
        let body = match &m.ics {
            None => MultiPart::mixed().multipart(alternative),
            Some((ics, method)) => {
                let ct =
                    ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                        .map_err(|e| e.to_string())?;
                MultiPart::mixed()
                    .multipart(alternative)
                    .singlepart(Attachment::new("invite.ics".into()).body(ics.clone(), ct))
            }
        };
        builder.multipart(body).map_err(|e| e.to_string())
    }

    pub fn send(&self, m: &Outgoing) -> Result<(), String> {
        let msg = self.build(m)?;
        match &self.transport {
            Inner::File(t) => t.send(&msg).map(|_| ()).map_err(|e| e.to_string()),
            Inner::Smtp(t) => t.send(&msg).map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}
