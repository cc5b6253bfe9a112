//! Throttles repeated failed logins, per e-mail address and per client address.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginThrottle {
    max_failures: u32,
    lockout: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// A shared office address gets more tries than one e-mail address.
const PER_CLIENT_FACTOR: u32 = 4;

impl LoginThrottle {
    pub fn new(max_failures: u32, lockout_minutes: i64) -> Self {
        Self {
            max_failures,
            lockout: Duration::from_secs(lockout_minutes.max(1) as u64 * 60),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(email: &str, client: &str) -> [(String, u32); 2] {
        [
            (format!("email:{}", email.trim().to_lowercase()), 1),
            (format!("client:{client}"), PER_CLIENT_FACTOR),
        ]
    }

    /// Seconds to wait when logins are refused for now.
    pub fn check(&self, email: &str, client: &str) -> Result<(), i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        map.retain(|_, (_, last)| now.duration_since(*last) < self.lockout);
        for (key, factor) in Self::keys(email, client) {
            if let Some((count, last)) = map.get(&key) {
                if *count >= self.max_failures * factor {
                    let wait = self.lockout.saturating_sub(now.duration_since(*last));
                    return Err(wait.as_secs().max(1) as i64);
                }
            }
        }
        Ok(())
    }

    pub fn failed(&self, email: &str, client: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for (key, _) in Self::keys(email, client) {
            let entry = map.entry(key).or_insert((0, Instant::now()));
            entry.0 += 1;
            entry.1 = Instant::now();
        }
    }

    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("email:{}", email.trim().to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_max_failures_per_email() {
        let t = LoginThrottle::new(3, 15);
        for _ in 0..3 {
            assert!(t.check("a@x.fi", "1.2.3.4").is_ok());
            t.failed("a@x.fi", "1.2.3.4");
        }
        assert!(t.check("A@x.fi", "5.6.7.8").is_err());
        assert!(t.check("b@x.fi", "1.2.3.4").is_ok());
        t.succeeded("a@x.fi");
        assert!(t.check("a@x.fi", "1.2.3.4").is_ok());
    }
}
