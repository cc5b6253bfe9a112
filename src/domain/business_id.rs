//! Y-tunnus, the Finnish business ID: `NNNNNNN-C`, with a mod-11 check digit.

use serde::Serialize;

use crate::error::Msg;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct BusinessId(String);

const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];

/// The check digit for seven digits, or None when the remainder is 1 (never issued).
pub fn check_digit(digits: &[u32; 7]) -> Option<u32> {
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some(11 - r),
    }
}

impl BusinessId {
    /// Accepts `NNNNNNN-C`, and the older six-digit form `NNNNNN-C` (a leading zero is added).
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let s = input.trim();
        let (body, check) = s
            .split_once('-')
            .ok_or(Msg::new("error.business_id.format"))?;
        let body = if body.len() == 6 {
            format!("0{body}")
        } else {
            body.to_string()
        };
        if body.len() != 7
            || check.len() != 1
            || !body
                .chars()
                .chain(check.chars())
                .all(|c| c.is_ascii_digit())
        {
            return Err(Msg::new("error.business_id.format"));
        }
        let mut digits = [0u32; 7];
        for (slot, c) in digits.iter_mut().zip(body.chars()) {
            *slot = c.to_digit(10).unwrap_or_default();
        }
        let given = check
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .unwrap_or_default();
        match check_digit(&digits) {
            None => Err(Msg::new("error.business_id.never_issued")),
            Some(c) if c != given => Err(Msg::new("error.business_id.check_digit")),
            Some(_) => Ok(Self(format!("{body}-{check}"))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A valid ID from seven digits, when one exists (used by the demo data).
    pub fn from_digits(digits: [u32; 7]) -> Option<Self> {
        let c = check_digit(&digits)?;
        let body: String = digits
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect();
        Some(Self(format!("{body}-{c}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_ids_pass() {
        // Published business IDs of well-known Finnish companies.
        for id in ["0112038-9", "1572860-0", "0109862-8", "2331972-7"] {
            assert_eq!(BusinessId::parse(id).unwrap().as_str(), id);
        }
        assert_eq!(
            BusinessId::parse(" 112038-9 ").unwrap().as_str(),
            "0112038-9"
        );
    }

    #[test]
    fn wrong_check_digit_remainder_one_and_format_fail() {
        assert_eq!(
            BusinessId::parse("1572860-1").unwrap_err().key,
            "error.business_id.check_digit"
        );
        // 0000010: 1*4 = 4, 4 % 11 = 4... find a remainder-1 body by search below.
        let body = (0..10_000_000u32)
            .map(|n| {
                let mut d = [0u32; 7];
                let mut x = n;
                for i in (0..7).rev() {
                    d[i] = x % 10;
                    x /= 10;
                }
                d
            })
            .find(|d| check_digit(d).is_none())
            .unwrap();
        let s: String = body
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap())
            .collect();
        for c in 0..10 {
            assert_eq!(
                BusinessId::parse(&format!("{s}-{c}")).unwrap_err().key,
                "error.business_id.never_issued"
            );
        }
        for bad in [
            "",
            "1572860",
            "1572860-",
            "157286-00",
            "15728600",
            "abcdefg-1",
            "1572860-x",
            "12345678-9",
        ] {
            assert_eq!(
                BusinessId::parse(bad).unwrap_err().key,
                "error.business_id.format",
                "{bad}"
            );
        }
    }

    #[test]
    fn every_generated_id_parses() {
        for n in (0..10_000_000u32).step_by(7919) {
            let mut d = [0u32; 7];
            let mut x = n;
            for i in (0..7).rev() {
                d[i] = x % 10;
                x /= 10;
            }
            if let Some(id) = BusinessId::from_digits(d) {
                assert_eq!(BusinessId::parse(id.as_str()).unwrap(), id);
                // Any other check digit must fail.
                let wrong = (id.as_str().chars().last().unwrap().to_digit(10).unwrap() + 1) % 10;
                let bad = format!("{}{}", &id.as_str()[..8], wrong);
                assert!(BusinessId::parse(&bad).is_err());
            }
        }
    }
}
