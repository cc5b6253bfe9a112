//! Writing an import's employers on PostgreSQL: each column bound once as an array and
//! unnested, 10,000 rows per statement. A chunk of 1,000 rows with 17 values each cost
//! more in statements than in rows (100,000 rows took 11.7 s; the budget is 10). The
//! ids are drawn from the sequence first, so rows pair with drafts without trusting
//! the order of RETURNING.

use chrono::NaiveDateTime;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamp};

use super::{EmployerDraft, EventKind};

const CHUNK: usize = 10_000;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn text<T>(drafts: &[&EmployerDraft], f: impl Fn(&EmployerDraft) -> Option<T>) -> Vec<Option<T>> {
    drafts.iter().map(|d| f(d)).collect()
}

/// Inserts the drafts with their first stage event; answers their ids in order.
pub fn insert_many(
    c: &mut PgConnection,
    org: i64,
    user: i64,
    drafts: &[&EmployerDraft],
    tags: impl Fn(&[String]) -> String,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let mut all = Vec::with_capacity(drafts.len());
    for chunk in drafts.chunks(CHUNK) {
        let ids: Vec<i64> = diesel::sql_query(
            "SELECT nextval(pg_get_serial_sequence('employers', 'id')) AS id \
             FROM generate_series(1, $1)",
        )
        .bind::<BigInt, _>(chunk.len() as i64)
        .load::<Id>(c)?
        .into_iter()
        .map(|i| i.id)
        .collect();
        let names: Vec<String> = chunk.iter().map(|d| d.name.clone()).collect();
        let lower: Vec<String> = chunk.iter().map(|d| d.name.to_lowercase()).collect();
        let tag_text: Vec<String> = chunk.iter().map(|d| tags(&d.tags)).collect();
        let stages: Vec<String> = chunk.iter().map(|d| d.stage.as_str().into()).collect();
        diesel::sql_query(
            "INSERT INTO employers (id, organisation_id, name, name_lower, business_id, \
             industry, size_class, street_address, postal_code, municipality_code, website, \
             description, tags, owner_id, stage, contact_interval_days, \
             do_not_contact_reason, created_at, updated_at) \
             SELECT u.id, $1, u.name, u.lower, u.bid, u.ind, u.size, u.street, u.postal, \
             u.muni, u.web, u.descr, u.tags, u.owner, u.stage, u.interval, u.dnc, $2, $2 \
             FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], \
             $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], \
             $14::text[], $15::bigint[], $16::text[], $17::int[], $18::text[]) \
             AS u(id, name, lower, bid, ind, size, street, postal, muni, web, descr, tags, \
             owner, stage, interval, dnc)",
        )
        .bind::<BigInt, _>(org)
        .bind::<Timestamp, _>(now)
        .bind::<Array<BigInt>, _>(&ids)
        .bind::<Array<Text>, _>(&names)
        .bind::<Array<Text>, _>(&lower)
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| {
            d.business_id.as_ref().map(|b| b.as_str().to_string())
        }))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.industry.map(|i| i.as_str())))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.size_class.map(|s| s.as_str())))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.street_address.clone()))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.postal_code.clone()))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.municipality_code.clone()))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.website.clone()))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.description.clone()))
        .bind::<Array<Text>, _>(&tag_text)
        .bind::<Array<Nullable<BigInt>>, _>(text(chunk, |d| d.owner_id))
        .bind::<Array<Text>, _>(&stages)
        .bind::<Array<Nullable<Integer>>, _>(text(chunk, |d| d.contact_interval_days))
        .bind::<Array<Nullable<Text>>, _>(text(chunk, |d| d.do_not_contact_reason.clone()))
        .execute(c)?;
        diesel::sql_query(
            "INSERT INTO employer_events (organisation_id, employer_id, user_id, kind, \
             detail, occurred_at) \
             SELECT $1, u.id, $2, $3, u.stage, $4 FROM unnest($5::bigint[], $6::text[]) \
             AS u(id, stage)",
        )
        .bind::<BigInt, _>(org)
        .bind::<BigInt, _>(user)
        .bind::<Text, _>(EventKind::Stage.as_str())
        .bind::<Timestamp, _>(now)
        .bind::<Array<BigInt>, _>(&ids)
        .bind::<Array<Text>, _>(&stages)
        .execute(c)?;
        all.extend(ids);
    }
    Ok(all)
}
