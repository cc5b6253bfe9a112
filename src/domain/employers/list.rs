//! The employer list: search, filters, sorting and keyset pagination, so the
//! thousandth page costs what the first does (see docs/performance.md).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::employers;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::employers::{Employer, EmployerRow, Stage};
use crate::domain::reference::{Industry, MUNICIPALITIES};
use crate::domain::users::Actor;
use crate::domain::validate::choice;
use crate::error::{AppError, FieldErrors, Msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Name,
    NameDesc,
    Updated,
    Created,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Name, Sort::NameDesc, Sort::Updated, Sort::Created];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "name" => Some(Self::Name),
            "-name" | "name_desc" => Some(Self::NameDesc),
            "updated" | "-updated" => Some(Self::Updated),
            "created" | "-created" => Some(Self::Created),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::NameDesc => "name_desc",
            Self::Updated => "updated",
            Self::Created => "created",
        }
    }
}

/// Query parameters as they arrive (API query string or page form), unchecked.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ListParams {
    pub q: Option<String>,
    pub municipality: Option<String>,
    pub industry: Option<String>,
    pub stage: Option<String>,
    pub owner: Option<String>,
    pub tag: Option<String>,
    pub archived: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// A checked list query.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub municipality: Option<String>,
    pub industry: Option<Industry>,
    pub stage: Option<Stage>,
    pub owner: Option<i64>,
    pub tag: Option<String>,
    pub archived: bool,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    /// Opaque to clients: hex of "key\u{1f}id".
    pub fn encode(&self) -> String {
        format!("{}\u{1f}{}", self.key, self.id)
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    pub fn decode(s: &str) -> Option<Self> {
        if s.len() % 2 != 0 || s.len() > 2000 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect();
        let text = String::from_utf8(bytes?).ok()?;
        let (key, id) = text.rsplit_once('\u{1f}')?;
        // The key goes into a query: it obeys the text rule like any input.
        if crate::domain::validate::forbidden_char(key).is_some() {
            return None;
        }
        Some(Self {
            key: key.to_string(),
            id: id.parse().ok()?,
        })
    }
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl ListParams {
    pub fn parse(self, default_limit: i64) -> Result<ListQuery, AppError> {
        let mut e = FieldErrors::default();
        let municipality = nonempty(self.municipality);
        if municipality
            .as_deref()
            .is_some_and(|m| MUNICIPALITIES.get(m).is_none())
        {
            e.add("municipality", Msg::new("error.choice"));
        }
        let industry = choice(
            &mut e,
            "industry",
            self.industry.map(|s| s.to_uppercase().into()),
        );
        let stage = choice(&mut e, "stage", self.stage.map(Into::into));
        let owner = match nonempty(self.owner) {
            Some(o) => match o.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("owner", Msg::new("error.choice"));
                    None
                }
            },
            None => None,
        };
        let sort = match nonempty(self.sort) {
            Some(s) => Sort::parse(&s).unwrap_or_else(|| {
                e.add("sort", Msg::new("error.choice"));
                Sort::Name
            }),
            None => Sort::Name,
        };
        let cursor = match nonempty(self.cursor) {
            Some(c) => {
                let decoded = Cursor::decode(&c);
                if decoded.is_none() {
                    e.add("cursor", Msg::new("error.cursor"));
                }
                decoded
            }
            None => None,
        };
        let limit = crate::domain::validate::limit_param(&mut e, self.limit, default_limit, 200);
        let archived = crate::domain::validate::yes_no_param(&mut e, "archived", self.archived);
        e.into_result()?;
        Ok(ListQuery {
            q: nonempty(self.q).map(|q| q.to_lowercase()),
            municipality,
            industry,
            stage,
            owner,
            tag: nonempty(self.tag).map(|t| t.to_lowercase()),
            archived,
            sort,
            cursor,
            limit,
        })
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub total: i64,
}

fn ts_key(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
}

/// Applies the organisation scope and the filters to a boxed employer query.
macro_rules! filtered {
    ($query:expr, $actor:expr, $q:expr) => {{
        let mut query = $query.filter(employers::organisation_id.eq($actor.org_id));
        query = if $q.archived {
            query.filter(employers::archived_at.is_not_null())
        } else {
            query.filter(employers::archived_at.is_null())
        };
        if let Some(text) = &$q.q {
            let contains = format!("%{}%", crate::db::like_escape(text));
            let prefix = format!("{}%", crate::db::like_escape(text));
            query = query.filter(
                employers::name_lower
                    .like(contains)
                    .escape('\\')
                    .or(employers::business_id.like(prefix).escape('\\')),
            );
        }
        if let Some(m) = &$q.municipality {
            query = query.filter(employers::municipality_code.eq(m.clone()));
        }
        if let Some(i) = &$q.industry {
            query = query.filter(employers::industry.eq(*i));
        }
        if let Some(s) = &$q.stage {
            query = query.filter(employers::stage.eq(*s));
        }
        if let Some(o) = $q.owner {
            query = query.filter(employers::owner_id.eq(o));
        }
        if let Some(t) = &$q.tag {
            query = query.filter(
                employers::tags
                    .like(format!("%,{},%", crate::db::like_escape(t)))
                    .escape('\\'),
            );
        }
        query
    }};
}

pub fn list(conn: &mut DbConn, actor: &Actor, q: &ListQuery) -> Result<Page<Employer>, AppError> {
    let (rows, total): (Vec<EmployerRow>, i64) = db_run!(conn, |c| {
        let total: i64 = filtered!(employers::table.into_boxed::<Db>(), actor, q)
            .count()
            .get_result(c)?;
        let mut query = filtered!(employers::table.into_boxed::<Db>(), actor, q);
        if let Some(cur) = &q.cursor {
            let id = cur.id;
            query = match q.sort {
                Sort::Name => query.filter(
                    employers::name_lower
                        .gt(cur.key.clone())
                        .or(employers::name_lower
                            .eq(cur.key.clone())
                            .and(employers::id.gt(id))),
                ),
                Sort::NameDesc => query.filter(
                    employers::name_lower
                        .lt(cur.key.clone())
                        .or(employers::name_lower
                            .eq(cur.key.clone())
                            .and(employers::id.lt(id))),
                ),
                Sort::Updated | Sort::Created => {
                    let t = NaiveDateTime::parse_from_str(&cur.key, "%Y-%m-%dT%H:%M:%S%.f")
                        .map_err(|_| {
                            AppError::Validation(FieldErrors::single(
                                "cursor",
                                Msg::new("error.cursor"),
                            ))
                        })?;
                    if q.sort == Sort::Updated {
                        query.filter(
                            employers::updated_at
                                .lt(t)
                                .or(employers::updated_at.eq(t).and(employers::id.lt(id))),
                        )
                    } else {
                        query.filter(
                            employers::created_at
                                .lt(t)
                                .or(employers::created_at.eq(t).and(employers::id.lt(id))),
                        )
                    }
                }
            };
        }
        query = match q.sort {
            Sort::Name => query.order((employers::name_lower.asc(), employers::id.asc())),
            Sort::NameDesc => query.order((employers::name_lower.desc(), employers::id.desc())),
            Sort::Updated => query.order((employers::updated_at.desc(), employers::id.desc())),
            Sort::Created => query.order((employers::created_at.desc(), employers::id.desc())),
        };
        let rows = query
            .limit(q.limit + 1)
            .select(EmployerRow::as_select())
            .load(c)?;
        Ok::<_, AppError>((rows, total))
    })?;
    let has_more = rows.len() as i64 > q.limit;
    let items: Vec<Employer> = rows
        .into_iter()
        .take(q.limit as usize)
        .map(Employer::from)
        .collect();
    let next = if has_more {
        items.last().map(|last| {
            let key = match q.sort {
                Sort::Name | Sort::NameDesc => last.name.to_lowercase(),
                Sort::Updated => ts_key(last.updated_at),
                Sort::Created => ts_key(last.created_at),
            };
            Cursor { key, id: last.id }.encode()
        })
    } else {
        None
    };
    Ok(Page { items, next, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor {
            key: "kahvila ä".into(),
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("zz"), None);
        assert_eq!(Cursor::decode("abc"), None);
    }

    #[test]
    fn bad_params_are_named() {
        let p = ListParams {
            stage: Some("x".into()),
            limit: Some("500".into()),
            ..Default::default()
        };
        match p.parse(25) {
            Err(AppError::Validation(e)) => {
                assert_eq!(e.0.keys().collect::<Vec<_>>(), ["limit", "stage"])
            }
            other => panic!("{other:?}"),
        }
    }
}
