//! A small SMTP server on loopback for the mail tests: it speaks enough of RFC 5321 for
//! lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps what it receives, and can
//! refuse the first N connections (421) to play an outage.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
    pub connections: Arc<AtomicUsize>,
}

impl SmtpServer {
    /// Starts listening; the first `refuse_first` connections get "421" and are closed.
    pub fn start(refuse_first: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP");
        let server = SmtpServer {
            port: listener.local_addr().unwrap().port(),
            received: Arc::default(),
            refuse: Arc::new(AtomicUsize::new(refuse_first)),
            connections: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                s.connections.fetch_add(1, Ordering::SeqCst);
                let refuse = s
                    .refuse
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                let s2 = s.clone();
                std::thread::spawn(move || {
                    let _ = s2.session(stream, refuse);
                });
            }
        });
        server
    }

    fn session(&self, stream: TcpStream, refuse: bool) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut w = stream.try_clone()?;
        if refuse {
            w.write_all(b"421 4.3.2 Service not available, try later\r\n")?;
            return Ok(());
        }
        w.write_all(b"220 test.local ESMTP ready\r\n")?;
        let mut r = BufReader::new(stream);
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                w.write_all(b"250-test.local\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
            } else if upper.starts_with("MAIL FROM:") {
                from = cmd[10..].trim().to_string();
                to.clear();
                w.write_all(b"250 2.1.0 OK\r\n")?;
            } else if upper.starts_with("RCPT TO:") {
                to.push(cmd[8..].trim().to_string());
                w.write_all(b"250 2.1.5 OK\r\n")?;
            } else if upper == "DATA" {
                w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    // Dot-stuffing (RFC 5321 4.5.2).
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                self.received.lock().unwrap().push(Received {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
                w.write_all(b"250 2.0.0 queued\r\n")?;
            } else if upper == "RSET" || upper == "NOOP" {
                w.write_all(b"250 OK\r\n")?;
            } else if upper == "QUIT" {
                w.write_all(b"221 Bye\r\n")?;
                return Ok(());
            } else {
                w.write_all(b"502 5.5.2 not implemented\r\n")?;
            }
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages arrived (or `secs` passed); answers them.
    pub fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let until = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < until && self.messages().len() < n {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.messages()
    }

    /// `[mail]` settings that send here.
    pub fn settings_toml(&self, poll_seconds: u64) -> String {
        format!(
            "[mail]\ntransport = \"smtp\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\nsmtp_security = \"none\"\nfrom = \"Placefirst <ips@placefirst.test>\"\nbase_url = \"https://placefirst.test\"\npoll_seconds = {poll_seconds}\n",
            self.port
        )
    }
}
