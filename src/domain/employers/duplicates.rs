//! Likely duplicates of an employer about to be created: the same name once case,
//! punctuation and company form are set aside ("Kauppa Oy" and "KAUPPA OY"), a name
//! nearly the same, or the same website. Creating one anyway needs an acknowledgement
//! (`acknowledge_duplicates`), the way colleagues' contacts do on the contact log.

use diesel::prelude::*;
use serde::Serialize;

use super::EmployerDraft;
use crate::db::schema::employers;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::imports::name_key;
use crate::domain::users::Actor;
use crate::error::{AppError, Msg};
use crate::i18n::Lang;

crate::closed_set! {
    /// Why an employer looks like one already in the register.
    pub enum Why ("duplicate_why") {
        SameName = "same_name",
        SimilarName = "similar_name",
        SameWebsite = "same_website",
        /// A contact person with the same e-mail address or phone number.
        SameContact = "same_contact",
        /// (Contact people) the same e-mail address.
        SameEmail = "same_email",
        /// (Contact people) the same phone number.
        SamePhone = "same_phone",
    }
}

/// An employer in the register the new one may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Duplicate {
    pub id: i64,
    pub name: String,
    pub municipality_code: Option<String>,
    pub why: Why,
}

impl Duplicate {
    pub fn message(&self, lang: Lang) -> String {
        let place = self
            .municipality_code
            .as_deref()
            .and_then(|c| crate::domain::reference::MUNICIPALITIES.get(c))
            .map(|m| format!(" ({})", m.name(lang)))
            .unwrap_or_default();
        Msg::new(match self.why {
            Why::SameName => "duplicate.same_name",
            Why::SimilarName => "duplicate.similar_name",
            Why::SameWebsite => "duplicate.same_website",
            Why::SameContact => "duplicate.same_contact",
            Why::SameEmail => "duplicate.same_email",
            Why::SamePhone => "duplicate.same_phone",
        })
        .arg("name", &self.name)
        .arg("place", place)
        .text(lang)
    }
}

/// How close two compared names must be to be "nearly the same": one letter in five
/// ("Kaupa" and "Kauppa", "Kahvila Pöllö" and "Kahvila Pölö").
const SIMILAR: f64 = 0.8;
/// Names shorter than this are compared only whole ("Abc" and "Abd" are not alike).
const SIMILAR_MIN_CHARS: usize = 5;
/// At most this many are shown.
const SHOWN: usize = 5;

/// The words of a name in order, so "Kiinteistöhuolto Ahven" and "Ahven
/// Kiinteistöhuolto" compare equal.
fn sorted_words(key: &str) -> Vec<&str> {
    let mut w: Vec<&str> = key.split(' ').collect();
    w.sort_unstable();
    w
}

/// The numbers in a name: "K-Market 12" and "K-Market 13" are two shops, however
/// alike the names.
fn digits(key: &str) -> String {
    key.chars().filter(char::is_ascii_digit).collect()
}

/// Two name keys nearly the same: close as a whole, with the same numbers, and word by
/// word ("Halla Liikuntakeskus" and "Kielo Liikuntakeskus" share only the trade).
fn nearly(a: &str, b: &str) -> bool {
    if digits(a) != digits(b) || strsim::normalized_levenshtein(a, b) < SIMILAR {
        return false;
    }
    let (wa, wb) = (sorted_words(a), sorted_words(b));
    wa.len() != wb.len()
        || wa
            .iter()
            .zip(&wb)
            .all(|(x, y)| strsim::normalized_levenshtein(x, y) >= WORD_SIMILAR)
}

/// Each word of a nearly-same name is at least this close to its counterpart.
const WORD_SIMILAR: f64 = 0.6;

/// The host of a website, for comparing: `https://www.Kauppa.fi/` → `kauppa.fi`.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.trim_start_matches("www.").to_lowercase()
}

/// The employers of the actor's organisation the draft may duplicate, best reasons first
/// (archived ones too: bringing one back beats a second record).
pub fn likely(
    conn: &mut DbConn,
    actor: &Actor,
    draft: &EmployerDraft,
) -> Result<Vec<Duplicate>, AppError> {
    let key = name_key(&draft.name);
    // Candidates share the start of the name's longest word (a typo later in the word
    // still finds it); the comparison itself is done here.
    let word: String = key
        .split(' ')
        .max_by_key(|w| w.chars().count())
        .unwrap_or_default()
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .take(4)
        .collect();
    let pattern = format!("%{word}%");
    let org = actor.org_id;
    type Row = (i64, String, Option<String>, Option<String>);
    let mut rows: Vec<Row> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .filter(employers::name_lower.like(&pattern))
        .select((
            employers::id,
            employers::name,
            employers::municipality_code,
            employers::website
        ))
        .order(employers::id)
        .limit(2000)
        .load(c))?;
    if let Some(site) = draft.website.as_deref().map(host).filter(|h| !h.is_empty()) {
        let like = format!("%{}%", site.replace(['%', '_', '\\'], ""));
        let by_site: Vec<Row> = db_run!(conn, |c| employers::table
            .filter(employers::organisation_id.eq(org))
            .filter(employers::website.like(&like))
            .select((
                employers::id,
                employers::name,
                employers::municipality_code,
                employers::website
            ))
            .limit(50)
            .load(c))?;
        rows.extend(by_site);
    }
    let mut found: Vec<Duplicate> = Vec::new();
    for (id, name, municipality_code, website) in rows {
        if found.iter().any(|d| d.id == id) {
            continue;
        }
        let theirs = name_key(&name);
        let why = if theirs == key || sorted_words(&theirs) == sorted_words(&key) {
            Some(Why::SameName)
        } else if key.chars().count() >= SIMILAR_MIN_CHARS && nearly(&theirs, &key) {
            Some(Why::SimilarName)
        } else if let (Some(a), Some(b)) = (website.as_deref(), draft.website.as_deref()) {
            (host(a) == host(b) && !host(a).is_empty()).then_some(Why::SameWebsite)
        } else {
            None
        };
        if let Some(why) = why {
            found.push(Duplicate {
                id,
                name,
                municipality_code,
                why,
            });
        }
    }
    found.sort_by_key(|d| (d.why, d.id));
    found.truncate(SHOWN);
    Ok(found)
}

/// A phone number compared by its last nine digits: +358 40 123 4567 and 040 1234567
/// are one number.
fn phone_key(p: &str) -> String {
    let d: String = p.chars().filter(char::is_ascii_digit).collect();
    d[d.len().saturating_sub(9)..].to_string()
}

/// Contact people of the employer the new one may be: nearly the same name, the same
/// e-mail or the same phone.
pub fn likely_contacts(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Vec<Duplicate>, AppError> {
    use crate::db::schema::contacts;
    let rows: Vec<(i64, String, Option<String>, Option<String>)> =
        db_run!(conn, |c| contacts::table
            .filter(contacts::organisation_id.eq(actor.org_id))
            .filter(contacts::employer_id.eq(employer_id))
            .select((
                contacts::id,
                contacts::name,
                contacts::email,
                contacts::phone
            ))
            .load(c))?;
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let key = norm(name);
    let mut found = Vec::new();
    for (id, their_name, their_email, their_phone) in rows {
        let theirs = norm(&their_name);
        let why = if theirs == key
            || (key.chars().count() >= SIMILAR_MIN_CHARS && nearly(&theirs, &key))
        {
            Some(if theirs == key {
                Why::SameName
            } else {
                Why::SimilarName
            })
        } else if email.is_some_and(|e| {
            their_email
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(e))
        }) {
            Some(Why::SameEmail)
        } else if phone.is_some_and(|p| {
            let k = phone_key(p);
            k.len() >= 6 && their_phone.as_deref().is_some_and(|t| phone_key(t) == k)
        }) {
            Some(Why::SamePhone)
        } else {
            None
        };
        if let Some(why) = why {
            found.push(Duplicate {
                id,
                name: their_name,
                municipality_code: None,
                why,
            });
        }
    }
    found.sort_by_key(|d| (d.why, d.id));
    found.truncate(SHOWN);
    Ok(found)
}

/// One employer of a pair the finder shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Side {
    pub id: i64,
    pub name: String,
    pub municipality_code: Option<String>,
    pub business_id: Option<String>,
}

/// Two employers of the register that are likely one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Pair {
    pub a: Side,
    pub b: Side,
    pub why: Why,
}

/// At most this many pairs are listed at once (merge some, and the next ones show).
const PAIRS_SHOWN: usize = 500;
/// A similar-name bucket larger than this is a common word, not a hint.
const BUCKET_MAX: usize = 300;

/// Every likely duplicate pair in the organisation's register: the same name once case,
/// punctuation and company form are set aside, nearly the same name, the same website,
/// or a contact person with the same e-mail or phone. Employers with two different
/// business IDs are two companies and never paired.
pub fn pairs(conn: &mut DbConn, actor: &Actor) -> Result<Vec<Pair>, AppError> {
    use crate::db::schema::contacts;
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let org = actor.org_id;
    type Row = (i64, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .order(employers::id)
        .select((
            employers::id,
            employers::name,
            employers::municipality_code,
            employers::website,
            employers::business_id,
        ))
        .load(c))?;
    let people: Vec<(i64, Option<String>, Option<String>)> = db_run!(conn, |c| contacts::table
        .filter(contacts::organisation_id.eq(org))
        .select((contacts::employer_id, contacts::email, contacts::phone))
        .load(c))?;
    let side: HashMap<i64, Side> = rows
        .iter()
        .map(|(id, name, m, _, b)| {
            (
                *id,
                Side {
                    id: *id,
                    name: name.clone(),
                    municipality_code: m.clone(),
                    business_id: b.clone(),
                },
            )
        })
        .collect();
    let mut found: BTreeMap<(i64, i64), Why> = BTreeMap::new();
    let mut add = |x: i64, y: i64, why: Why| {
        let key = (x.min(y), x.max(y));
        if x == y {
            return;
        }
        let (a, b) = (&side[&key.0], &side[&key.1]);
        if let (Some(p), Some(q)) = (&a.business_id, &b.business_id) {
            if p != q {
                return;
            }
        }
        let e = found.entry(key).or_insert(why);
        *e = (*e).min(why);
    };
    // Same key: exact and word-order-free names, website hosts, contact addresses.
    let mut groups: HashMap<(u8, String), Vec<i64>> = HashMap::new();
    let mut buckets: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (id, name, _, website, _) in &rows {
        let key = name_key(name);
        groups
            .entry((0, sorted_words(&key).join(" ")))
            .or_default()
            .push(*id);
        if let Some(h) = website.as_deref().map(host).filter(|h| !h.is_empty()) {
            groups.entry((2, h)).or_default().push(*id);
        }
        let word: String = key
            .split(' ')
            .max_by_key(|w| w.chars().count())
            .unwrap_or_default()
            .chars()
            .take(4)
            .collect();
        if key.chars().count() >= SIMILAR_MIN_CHARS {
            buckets.entry(word).or_default().push((*id, key));
        }
    }
    for (employer, email, phone) in &people {
        if let Some(e) = email
            .as_deref()
            .map(str::to_lowercase)
            .filter(|e| !e.is_empty())
        {
            groups.entry((3, e)).or_default().push(*employer);
        }
        let digits: String = phone
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if digits.len() >= 6 {
            groups.entry((3, digits)).or_default().push(*employer);
        }
    }
    for ((kind, _), ids) in &groups {
        let ids: BTreeSet<i64> = ids.iter().copied().collect();
        if ids.len() < 2 || ids.len() > BUCKET_MAX {
            continue;
        }
        let why = match kind {
            0 => Why::SameName,
            2 => Why::SameWebsite,
            _ => Why::SameContact,
        };
        let ids: Vec<i64> = ids.into_iter().collect();
        for (i, x) in ids.iter().enumerate() {
            for y in &ids[i + 1..] {
                add(*x, *y, why);
            }
        }
    }
    for list in buckets.values() {
        if list.len() < 2 || list.len() > BUCKET_MAX {
            continue;
        }
        for (i, (x, kx)) in list.iter().enumerate() {
            for (y, ky) in &list[i + 1..] {
                if kx != ky && nearly(kx, ky) {
                    add(*x, *y, Why::SimilarName);
                }
            }
        }
    }
    let mut out: Vec<Pair> = found
        .into_iter()
        .map(|((a, b), why)| Pair {
            a: side[&a].clone(),
            b: side[&b].clone(),
            why,
        })
        .collect();
    // The surest first: a shared website or contact says more than a similar name.
    let rank = |w: Why| match w {
        Why::SameName => 0,
        Why::SameWebsite => 1,
        Why::SameContact | Why::SameEmail | Why::SamePhone => 2,
        Why::SimilarName => 3,
    };
    out.sort_by(|p, q| (rank(p.why), &p.a.name, p.a.id).cmp(&(rank(q.why), &q.a.name, q.a.id)));
    out.truncate(PAIRS_SHOWN);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn websites_compare_by_host() {
        assert_eq!(super::host("https://www.Kauppa.fi/yhteys"), "kauppa.fi");
        assert_eq!(super::host("kauppa.fi"), "kauppa.fi");
    }
}
