//! What the list filters in query strings mean. The same names mean the same thing on
//! every list, so they are described once here rather than on each parameter struct;
//! a struct's own doc comment wins where it says more.

use serde_json::{json, Value};

/// A closed set's names, and "" or nothing for "any".
fn with_blank(names: Vec<&'static str>) -> Value {
    let mut v: Vec<Value> = names.into_iter().map(Value::from).collect();
    v.push(json!(""));
    v.push(Value::Null);
    Value::Array(v)
}

/// A description and schema additions for a query parameter, by name.
pub fn about(name: &str) -> Option<(&'static str, Value)> {
    let none = json!({});
    let date = json!({ "format": "date" });
    Some(match name {
        "cursor" => (
            "Where the previous page ended: the `next` of the previous answer.",
            none,
        ),
        "limit" => (
            "Items per page, 1 to 200 (each list has its own default).",
            json!({ "pattern": "^[0-9]+$" }),
        ),
        "from" => (
            "The first day, an ISO date (2026-11-24); 24.11.2026 is read too.",
            date,
        ),
        "to" => (
            "The last day, included, an ISO date (2026-11-30); 30.11.2026 is read too.",
            date,
        ),
        "q" => (
            "Words to look for in names and titles; case does not matter, and % and _ \
             are ordinary characters.",
            none,
        ),
        "status" => (
            "Only records with this status (the values of the records' `status`).",
            none,
        ),
        "entity" => (
            "Only events about this kind of record.",
            json!({ "enum": with_blank(crate::domain::audit::Entity::names()) }),
        ),
        "action" => (
            "Only events of this kind (create, update, view ...).",
            json!({ "enum": with_blank(crate::domain::audit::Action::names()) }),
        ),
        "entity_id" => (
            "Only events about the record with this id (with `entity`).",
            json!({ "pattern": "^[0-9]+$" }),
        ),
        "user_id" => ("Only what this user did.", json!({ "pattern": "^[0-9]+$" })),
        "employer_id" => (
            "Only this employer's records.",
            json!({ "pattern": "^[0-9]+$" }),
        ),
        "specialist_id" => ("Only this specialist's records (a user id).", none),
        "team_id" => (
            "Only this team (the default: the whole organisation).",
            none,
        ),
        "client_id" => ("Only this job seeker's records.", none),
        "partner_id" => ("The partner the records belong to.", none),
        "week" => (
            "An ISO week, 2026-W48 (the default: this week).",
            json!({ "pattern": "^[0-9]{4}-W[0-9]{2}$" }),
        ),
        "user" => ("A user id, or \"me\" (the default).", none),
        "archived" => (
            "true: archived employers instead of current ones; false (the default): \
             current ones. Also 1/0, yes/no, on/off.",
            json!({ "enum": ["true", "false", "1", "0", "yes", "no", "on", "off", "", null] }),
        ),
        "sort" => (
            "name (the default), name_desc, updated (latest first) or created (newest first).",
            json!({ "enum": ["name", "-name", "name_desc", "updated", "-updated", "created", "-created", "", null] }),
        ),
        "stage" => (
            "Only employers at this stage (the values of an employer's `stage`).",
            none,
        ),
        "industry" => (
            "Only employers in this industry: a TOL 2008 section letter (A–U).",
            none,
        ),
        "municipality" => (
            "Only employers in this municipality, by name (Tampere, Tammerfors) or code (837).",
            none,
        ),
        "owner" => ("Only employers this user (an id) is responsible for.", none),
        "tag" => ("Only employers with this tag.", none),
        "channel" => (
            "Only contacts made this way (the values of a contact's `channel`).",
            none,
        ),
        "min_score" => (
            "Only matches scoring at least this, 0 to 100 (the default is the \
             organisation's setting).",
            none,
        ),
        "quarter" => (
            "A calendar quarter, 2026-Q4 (the default: this quarter).",
            json!({ "pattern": "^[0-9]{4}-[Qq][1-4]$" }),
        ),
        _ => return None,
    })
}

/// Adds what `about` says to a parameter that says nothing itself.
pub fn describe(param: &mut Value) {
    if param.get("description").is_some() {
        return;
    }
    let Some(name) = param["name"].as_str() else {
        return;
    };
    let Some((text, extra)) = about(name) else {
        return;
    };
    param["description"] = json!(text);
    if let (Some(schema), Some(extra)) = (param["schema"].as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            schema.entry(k.clone()).or_insert(v.clone());
        }
    }
}
