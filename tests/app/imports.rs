//! Issue 14, imports: files shaped the way Finnish offices save them (Excel's "CSV
//! (semicolon delimited)" is Windows-1252 with CRLF), through the one import engine.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{Api, TestApp};
use crate::on_both_databases;

on_both_databases!(
    a_windows_1252_member_list_keeps_its_letters,
    rejected_rows_of_a_crlf_file_name_their_own_line,
    a_known_business_id_under_another_name_is_a_conflict,
    patch_with_null_tags_clears_them,
    an_employer_file_is_previewed_then_imported,
    all_or_nothing_changes_nothing_when_a_row_is_wrong,
    a_file_without_a_name_column_is_refused_whole,
    a_utf8_file_with_bom_and_commas_imports,
    contact_persons_import_to_the_employers_they_name,
    job_leads_import_with_office_dates_and_hours,
);

/// Text as Excel writes it in Finland: Windows-1252.
pub fn cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0x80,
            '–' => 0x96,
            c if (c as u32) < 0x100 => c as u8,
            c => panic!("{c} is not in Windows-1252"),
        })
        .collect()
}

async fn partner(lead: &Api) -> i64 {
    let r = lead
        .post(
            "/api/v1/partners",
            json!({"name": "Tampereen Yrittäjät", "kind": "entrepreneur_association"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

async fn a_windows_1252_member_list_keeps_its_letters(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let p = partner(&lead).await;
    let file = cp1252(
        "nimi;y-tunnus;kunta\r\nKukkakauppa Kärkkäinen;;Tampere\r\nÅbo Café Öljymäki;;Turku\r\n",
    );
    let r = lead
        .post_bytes(
            &format!("/api/v1/partners/{p}/members/import"),
            "text/csv",
            file,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["created"], 2, "{}", r.text);
    let members = lead.get(&format!("/api/v1/partners/{p}/members")).await;
    assert_eq!(
        names(&members.json),
        vec!["Kukkakauppa Kärkkäinen", "Åbo Café Öljymäki"]
    );
}

async fn rejected_rows_of_a_crlf_file_name_their_own_line(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let p = partner(&lead).await;
    // Row 3 has a business ID with a wrong check digit, row 5 no name; row 4 carries a
    // line break inside quotes, which a spreadsheet shows as one row.
    let csv = "nimi;y-tunnus;kunta\r\nKahvila Aamu Oy;;Tampere\r\nVirhe Oy;1234567-8;Tampere\r\n\"Kaksi\r\nriviä Oy\";;Tampere\r\n;;Tampere\r\nViimeinen Oy;;Tampere\r\n";
    let r = lead
        .post_text(
            &format!("/api/v1/partners/{p}/members/import"),
            "text/csv",
            csv.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let lines: Vec<i64> = r.json["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 5], "{}", r.text);
    assert_eq!(r.json["created"], 3);
}

async fn a_known_business_id_under_another_name_is_a_conflict(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let e = lead
        .post(
            "/api/v1/employers",
            json!({"name": "Pöllölän Puutarha Oy", "business_id": "2858394-9"}),
        )
        .await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.text);
    let p = partner(&lead).await;
    let r = lead
        .post_text(
            &format!("/api/v1/partners/{p}/members/import"),
            "text/csv",
            "nimi;y-tunnus\nKahvila Pöllö Oy;2858394-9\n".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["matched"], 0, "{}", r.text);
    let rejected = &r.json["rejected"][0];
    assert_eq!(rejected["line"], 2);
    let reason = rejected["reason"].as_str().unwrap();
    assert!(
        reason.contains("Pöllölän Puutarha Oy") && reason.contains("Kahvila Pöllö Oy"),
        "{reason}"
    );
    let members = lead.get(&format!("/api/v1/partners/{p}/members")).await;
    assert!(names(&members.json).is_empty());
}

async fn patch_with_null_tags_clears_them(app: TestApp) {
    let s = app.user("Org", "s@a.fi", Role::Specialist);
    let e = s
        .post(
            "/api/v1/employers",
            json!({"name": "Tagi Oy", "tags": ["kahvila"], "website": "tagi.fi"}),
        )
        .await;
    let id = e.json["id"].as_i64().unwrap();
    let r = s
        .patch(
            &format!("/api/v1/employers/{id}"),
            json!({"tags": null, "website": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["tags"], json!([]));
    assert_eq!(r.json["website"], Value::Null);
    assert_eq!(r.json["name"], "Tagi Oy");
}

/// The outcome of each row as `(line, outcome)`.
fn outcomes(report: &Value) -> Vec<(i64, String)> {
    report["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"))
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn employer_names(api: &Api) -> Vec<String> {
    let r = api.get("/api/v1/employers?limit=200").await;
    names(&r.json)
}

/// Excel's export of a register: Finnish headers in another order, Windows-1252, CRLF,
/// a quoted line break, a duplicate row, a wrong check digit, a known employer by name
/// and municipality, and a known business ID under another name.
const REGISTER: &str = "Y-tunnus;Nimi;Kunta;Katuosoite\r\n\
2858394-9;Kahvila Pöllö Oy;Tampere;Hämeenkatu 1\r\n\
;Kukkakauppa Kärkkäinen;Tampere;\"Kauppakatu 2\r\nB-rappu\"\r\n\
1234567-8;Virheellinen Oy;Tampere;\r\n\
;Leipomo Ässä Oy;Tampere;\r\n\
;Kukkakauppa Kärkkäinen;Tampere;\r\n\
0737546-2;Uusi Kone Oy;Nokia;\r\n";

async fn register_setup(lead: &Api) {
    for body in [
        json!({"name": "Pöllölän Puutarha Oy", "business_id": "2858394-9"}),
        json!({"name": "LEIPOMO ÄSSÄ OY", "municipality_code": "837"}),
    ] {
        let r = lead.post("/api/v1/employers", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
}

async fn an_employer_file_is_previewed_then_imported(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    register_setup(&lead).await;
    let before = employer_names(&lead).await;
    let preview = lead
        .post_bytes(
            "/api/v1/imports/employers?dry_run=true",
            "text/csv",
            cp1252(REGISTER),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    let r = &preview.json;
    assert_eq!(r["encoding"], "windows-1252");
    assert_eq!(r["delimiter"], ";");
    assert_eq!(r["applied"], false);
    let columns: Vec<(String, Value)> = r["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["header"].as_str().unwrap().to_string(),
                c["field"].clone(),
            )
        })
        .collect();
    assert_eq!(
        columns,
        vec![
            ("Y-tunnus".into(), json!("business_id")),
            ("Nimi".into(), json!("name")),
            ("Kunta".into(), json!("municipality")),
            ("Katuosoite".into(), json!("street_address")),
        ]
    );
    assert_eq!(
        outcomes(r),
        vec![
            (2, "conflict".into()),
            (3, "new".into()),
            (4, "error".into()),
            (5, "existing".into()),
            (6, "duplicate".into()),
            (7, "new".into()),
        ]
    );
    let rows = r["rows"].as_array().unwrap();
    let conflict = rows[0]["message"].as_str().unwrap();
    assert!(conflict.contains("Pöllölän Puutarha Oy"), "{conflict}");
    assert!(rows[2]["message"].as_str().unwrap().contains("1234567-8"));
    assert_eq!(rows[3]["matched_by"], "name_and_municipality");
    assert_eq!(rows[4]["duplicate_of"], 3);
    assert_eq!(
        r["counts"],
        json!({"rows": 6, "new": 2, "existing": 1, "conflicts": 1, "duplicates": 1, "errors": 1, "imported": 0})
    );
    assert_eq!(
        employer_names(&lead).await,
        before,
        "a preview writes nothing"
    );

    let done = lead
        .post_bytes(
            "/api/v1/imports/employers?mode=valid_rows",
            "text/csv",
            cp1252(REGISTER),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.json["applied"], true);
    assert_eq!(done.json["counts"]["imported"], 2);
    let mut expected = before.clone();
    expected.extend(["Kukkakauppa Kärkkäinen".to_string(), "Uusi Kone Oy".into()]);
    expected.sort();
    assert_eq!(employer_names(&lead).await, expected);
    // The quoted line break is kept inside the cell.
    let id = done.json["rows"][1]["id"].as_i64().unwrap();
    let e = lead.get(&format!("/api/v1/employers/{id}")).await;
    assert_eq!(e.json["street_address"], "Kauppakatu 2\r\nB-rappu");
    assert_eq!(e.json["municipality_code"], "837");
    // Every written row's id is its own employer (PostgreSQL writes them in bulk).
    for row in done.json["rows"].as_array().unwrap() {
        if row["outcome"] == "new" {
            let e = lead.get(&format!("/api/v1/employers/{}", row["id"])).await;
            assert_eq!(e.json["name"], row["name"], "{row}");
        }
    }
    // The same file again: nothing new.
    let again = lead
        .post_bytes(
            "/api/v1/imports/employers?mode=valid_rows",
            "text/csv",
            cp1252(REGISTER),
        )
        .await;
    assert_eq!(again.json["counts"]["imported"], 0, "{}", again.text);
    assert_eq!(again.json["counts"]["existing"], 3, "{}", again.text);
}

async fn all_or_nothing_changes_nothing_when_a_row_is_wrong(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    register_setup(&lead).await;
    let before = employer_names(&lead).await;
    let r = lead
        .post_bytes(
            "/api/v1/imports/employers?mode=all_or_nothing",
            "text/csv",
            cp1252(REGISTER),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.content_type, "application/problem+json");
    assert_eq!(r.json["report"]["applied"], false);
    assert_eq!(r.json["report"]["counts"]["errors"], 1);
    assert_eq!(employer_names(&lead).await, before);
    // In Finnish, for a Finnish user.
    let mut fi = TestApp::browserless_api(&lead, lead.token.as_deref().unwrap());
    fi.lang = Some("fi");
    let r = fi
        .post_bytes(
            "/api/v1/imports/employers?mode=all_or_nothing",
            "text/csv",
            cp1252(REGISTER),
        )
        .await;
    let message = r.json["report"]["rows"][2]["message"].as_str().unwrap();
    assert!(message.to_lowercase().contains("tarkiste"), "{message}");
    // Without the wrong rows the same mode imports everything.
    let clean = "Nimi;Kunta\r\nEka Oy;Tampere\r\nToka Oy;Nokia\r\n";
    let r = lead
        .post_text(
            "/api/v1/imports/employers?mode=all_or_nothing",
            "text/csv",
            clean.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["counts"]["imported"], 2);
}

async fn a_file_without_a_name_column_is_refused_whole(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let r = lead
        .post_text(
            "/api/v1/imports/employers",
            "text/csv",
            "Y-tunnus;Kunta\r\n2858394-9;Tampere\r\n".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.json["errors"]["file"][0]
            .as_str()
            .unwrap()
            .contains("name"),
        "{}",
        r.text
    );
    // The column can be named by hand.
    let r = lead
        .post_text(
            "/api/v1/imports/employers?dry_run=true&column.name=Toiminimi",
            "text/csv",
            "Y-tunnus;Toiminimi\r\n2858394-9;Pöllö Oy\r\n".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(outcomes(&r.json), vec![(2, "new".to_string())]);
}

async fn a_utf8_file_with_bom_and_commas_imports(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let r = lead
        .post_text(
            "/api/v1/imports/employers",
            "text/csv",
            "\u{feff}name,business id,municipality\nSjöbergs Café Ab,,Vaasa\n".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["encoding"], "utf-8-bom");
    assert_eq!(r.json["delimiter"], ",");
    assert_eq!(r.json["counts"]["imported"], 1);
    assert_eq!(employer_names(&lead).await, vec!["Sjöbergs Café Ab"]);
}

/// Contact persons as an office keeps them: the employer by business ID or by name,
/// Finnish headers, Windows-1252, CRLF.
const CONTACTS: &str = "Yritys;Y-tunnus;Yhteyshenkilö;Titteli;Puhelin;Sähköposti\r\n\
;2858394-9;Päivi Mäkelä;Ravintolapäällikkö;040 123 4567;paivi@pollo.fi\r\n\
Leipomo Ässä Oy;;Åke Öhman;Omistaja;;ake@assa.fi\r\n\
Tuntematon Oy;;Matti Meikäläinen;;;\r\n\
;2858394-9;PÄIVI MÄKELÄ;;;\r\n\
Leipomo Ässä Oy;;Olli Uusi;;ei numero;\r\n\
;2858394-9;Seppo Sama;;;seppo@pollo.fi\r\n\
Väärä Nimi Oy;2858394-9;Pekka Pakkanen;;;\r\n";

async fn contact_persons_import_to_the_employers_they_name(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    register_setup(&lead).await;
    let employers = lead.get("/api/v1/employers?limit=200").await.json;
    let id_of = |name: &str| {
        employers["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (pollo, assa) = (id_of("Pöllölän Puutarha Oy"), id_of("LEIPOMO ÄSSÄ OY"));
    // Seppo is already there; a second time by e-mail is existing.
    let r = lead
        .post(
            &format!("/api/v1/employers/{pollo}/contacts"),
            json!({"name": "Seppo Sama", "email": "seppo@pollo.fi"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = lead
        .post_bytes(
            "/api/v1/imports/contacts?mode=valid_rows",
            "text/csv",
            cp1252(CONTACTS),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let columns: Vec<Value> = r.json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].clone())
        .collect();
    assert_eq!(
        columns,
        vec![
            json!("employer"),
            json!("business_id"),
            json!("person"),
            json!("role"),
            json!("phone"),
            json!("email")
        ]
    );
    assert_eq!(
        outcomes(&r.json),
        vec![
            (2, "new".into()),
            (3, "new".into()),
            (4, "error".into()),
            (5, "duplicate".into()),
            (6, "error".into()),
            (7, "existing".into()),
            (8, "error".into()),
        ]
    );
    // A business ID and a name of two different employers: not guessed.
    let wrong = r.json["rows"][6]["message"].as_str().unwrap();
    assert!(
        wrong.contains("Pöllölän Puutarha Oy") && wrong.contains("Väärä Nimi Oy"),
        "{wrong}"
    );
    let rows = r.json["rows"].as_array().unwrap();
    assert_eq!(rows[3]["duplicate_of"], 2);
    let unknown = rows[2]["message"].as_str().unwrap();
    assert!(unknown.contains("Tuntematon Oy"), "{unknown}");
    let phone = rows[4]["message"].as_str().unwrap();
    assert!(
        phone.contains("Puhelin") && phone.contains("ei numero"),
        "{phone}"
    );
    assert_eq!(r.json["counts"]["imported"], 2);
    let people = lead
        .get(&format!("/api/v1/employers/{pollo}/contacts"))
        .await
        .json;
    let paivi = people["items"]
        .as_array()
        .unwrap_or_else(|| people.as_array().unwrap())
        .iter()
        .find(|c| c["name"] == "Päivi Mäkelä")
        .cloned()
        .unwrap_or_else(|| panic!("{people}"));
    assert_eq!(paivi["title"], "Ravintolapäällikkö");
    assert_eq!(paivi["email"], "paivi@pollo.fi");
    let at_assa = lead
        .get(&format!("/api/v1/employers/{assa}/contacts"))
        .await
        .text;
    assert!(at_assa.contains("Åke Öhman"), "{at_assa}");
    // A file naming no employer column is refused whole.
    let r = lead
        .post_bytes(
            "/api/v1/imports/contacts",
            "text/csv",
            cp1252("Nimi;Puhelin\r\nA;040 1234567\r\n"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // The field by its label in the reader's language, the override by its code.
    let msg = r.json["errors"]["file"][0].as_str().unwrap();
    assert!(
        msg.contains("”Työnantaja”") && msg.contains("column.employer="),
        "{msg}"
    );
}

async fn job_leads_import_with_office_dates_and_hours(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    register_setup(&lead).await;
    let file = "Työnantaja;Y-tunnus;Tehtävä;Tunnit;Hakuaika päättyy;Kunta\r\n\
;2858394-9;Kokki;20-30;24.12.2026;Tampere\r\n\
Leipomo Ässä Oy;;Leipurin apulainen;15;2026-12-31;Tampere\r\n\
;2858394-9;KOKKI;;;\r\n\
Leipomo Ässä Oy;;Myyjä;paljon;;\r\n\
Leipomo Ässä Oy;;Siivooja;10;31.13.2026;\r\n";
    let preview = lead
        .post_bytes(
            "/api/v1/imports/leads?dry_run=true",
            "text/csv",
            cp1252(file),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    assert_eq!(
        outcomes(&preview.json),
        vec![
            (2, "new".into()),
            (3, "new".into()),
            (4, "duplicate".into()),
            (5, "error".into()),
            (6, "error".into()),
        ]
    );
    assert_eq!(
        lead.get("/api/v1/leads").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "a preview writes nothing"
    );
    // All or nothing: refused whole, nothing written.
    let r = lead
        .post_bytes("/api/v1/imports/leads", "text/csv", cp1252(file))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        lead.get("/api/v1/leads").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let r = lead
        .post_bytes(
            "/api/v1/imports/leads?mode=valid_rows",
            "text/csv",
            cp1252(file),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["counts"]["imported"], 2);
    let leads = lead.get("/api/v1/leads").await.json;
    let kokki = leads["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["title"] == "Kokki")
        .cloned()
        .unwrap_or_else(|| panic!("{leads}"));
    assert_eq!(kokki["hours_min"], 20);
    assert_eq!(kokki["hours_max"], 30);
    assert_eq!(kokki["apply_by"], "2026-12-24");
    assert_eq!(kokki["municipality_code"], "837");
    assert_eq!(kokki["found_by"], lead.user_id);
    // Imported again: the open leads are existing now.
    let again = lead
        .post_bytes(
            "/api/v1/imports/leads?mode=valid_rows&dry_run=true",
            "text/csv",
            cp1252(file),
        )
        .await;
    assert_eq!(
        again.json["rows"][0]["outcome"], "existing",
        "{}",
        again.text
    );
    assert_eq!(again.json["rows"][0]["id"], kokki["id"]);
}

on_both_databases!(the_import_page_previews_lets_the_columns_be_chosen_then_imports);

/// The page way, as a specialist does it: a file whose name column the engine cannot
/// guess ("Firma"), refused with the columns to choose from; the column chosen; a
/// preview that writes nothing; then the valid rows imported.
async fn the_import_page_previews_lets_the_columns_be_chosen_then_imports(app: TestApp) {
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let r = lead
        .post(
            "/api/v1/employers",
            json!({"name": "Kukkakauppa Kärkkäinen", "business_id": "2858394-9", "municipality_code": "837"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mut b = app.browser();
    b.login("lead@a.fi", crate::helpers::PASSWORD).await;
    let list = b.get("/employers").await;
    assert!(
        list.text.contains("href=\"/imports/employers\""),
        "linked from the list"
    );
    assert!(list.text.contains("href=\"/imports/contacts\""));
    let form = b.get("/imports/employers").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("type=\"file\"") && form.text.contains("name=\"csv\""));
    assert_eq!(
        b.get("/imports/members").await.status,
        StatusCode::NOT_FOUND
    );

    // Nothing chosen.
    let r = b
        .post("/imports/employers", &[("csv", "  "), ("step", "preview")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"csv-error\""), "{}", r.text);

    let file = "Y-tunnus;Firma;Kunta\r\n2858394-9;Kukkakauppa Kärkkäinen;Tampere\r\n;Kahvila Pöllö;Tampere\r\n1234567-8;Väärä Tunnus Oy;Tampere\r\n";
    // "Firma" is no header the engine knows: the name is missing, and the page offers
    // the file's columns for it.
    let r = b
        .post("/imports/employers", &[("csv", file), ("step", "preview")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("name=\"column.name\""), "{}", r.text);
    assert!(
        r.text.contains("<option value=\"Firma\">Firma</option>"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("<option value=\"Y-tunnus\" selected>Y-tunnus</option>"),
        "the business ID column is suggested"
    );
    // Chosen: the preview judges every row and writes nothing.
    let fields = [
        ("csv", file),
        ("column.name", "Firma"),
        ("mode", "valid_rows"),
        ("step", "preview"),
    ];
    let r = b.post("/imports/employers", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r
        .text
        .contains("<option value=\"Firma\" selected>Firma</option>"));
    assert!(
        r.text.contains("Kahvila Pöllö") && r.text.contains("badge ok"),
        "{}",
        r.text
    );
    assert!(
        r.text.contains("badge muted"),
        "the known employer is recognised"
    );
    assert!(
        r.text.contains("badge danger"),
        "the bad business ID is an error"
    );
    assert!(r.text.contains("name=\"step\" value=\"import\""));
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&lead.get("/api/v1/employers").await.json).len(),
        1,
        "a preview writes nothing"
    );

    // All rows or none: refused, nothing written.
    let mut all = fields;
    all[2] = ("mode", "all_or_nothing");
    all[3] = ("step", "import");
    let r = b.post("/imports/employers", &all).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(names(&lead.get("/api/v1/employers").await.json).len(), 1);
    // The valid rows only.
    let mut valid = fields;
    valid[3] = ("step", "import");
    let r = b.post("/imports/employers", &valid).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        !r.text.contains("name=\"step\" value=\"import\""),
        "done: no second import button"
    );
    let now = names(&lead.get("/api/v1/employers").await.json);
    assert_eq!(now.len(), 2, "{now:?}");
    assert!(now.contains(&"Kahvila Pöllö".to_string()));
    let created =
        lead.get("/api/v1/employers?q=P%C3%B6ll%C3%B6").await.json["items"][0]["id"].clone();
    assert!(
        r.text.contains(&format!("href=\"/employers/{created}\"")),
        "links the new employer"
    );

    // The same page for contact persons and job leads; a viewer may not import.
    assert_eq!(b.get("/imports/contacts").await.status, StatusCode::OK);
    assert!(b
        .get("/leads")
        .await
        .text
        .contains("href=\"/imports/leads\""));
    let r = b
        .post(
            "/imports/leads",
            &[
                ("csv", "Työnantaja;Tehtävä\r\nKahvila Pöllö;Barista\r\n"),
                ("step", "import"),
                ("mode", "all_or_nothing"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let leads = lead.get("/api/v1/leads").await;
    assert!(leads.text.contains("Barista"), "{}", leads.text);

    // A partner's member list, through the same page: the partner page links to it.
    let r = lead
        .post(
            "/api/v1/partners",
            json!({"name": "Tampereen Yrittäjät", "kind": "entrepreneur_association"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let p = r.json["id"].as_i64().unwrap();
    let page = b.get(&format!("/partners/{p}")).await;
    assert!(
        page.text
            .contains(&format!("href=\"/imports/members?partner_id={p}\"")),
        "{}",
        page.text
    );
    let form = b.get(&format!("/imports/members?partner_id={p}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("Tampereen Yrittäjät"));
    assert_eq!(
        b.get("/imports/members").await.status,
        StatusCode::NOT_FOUND,
        "whose list?"
    );
    let other = app.user("Org B", "b@b.fi", Role::TeamLead);
    let theirs = other
        .post(
            "/api/v1/partners",
            json!({"name": "Salainen Seura", "kind": "other"}),
        )
        .await;
    let theirs = theirs.json["id"].as_i64().unwrap();
    assert_eq!(
        b.get(&format!("/imports/members?partner_id={theirs}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "another organisation's partner"
    );
    let pid = p.to_string();
    let members = "Nimi;Y-tunnus;Kunta\r\nKukkakauppa Kärkkäinen;2858394-9;Tampere\r\nUusi Jäsen Oy;;Tampere\r\n";
    let r = b
        .post(
            "/imports/members",
            &[
                ("csv", members),
                ("partner_id", &pid),
                ("step", "import"),
                ("mode", "all_or_nothing"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let got = lead.get(&format!("/api/v1/partners/{p}/members")).await;
    assert!(
        got.text.contains("Kukkakauppa Kärkkäinen") && got.text.contains("Uusi Jäsen Oy"),
        "{}",
        got.text
    );

    app.user("Org A", "viewer@a.fi", Role::Viewer);
    let mut v = app.browser();
    v.login("viewer@a.fi", crate::helpers::PASSWORD).await;
    assert_eq!(
        v.get("/imports/employers").await.status,
        StatusCode::FORBIDDEN
    );
}

on_both_databases!(registers_tol_codes_company_forms_workbooks_and_long_files);

/// What an outside tester found with real registers: industries given as TOL codes or
/// names, company forms that tell two companies apart, a workbook chosen instead of its
/// CSV, an exported lead list that must import back, a long cell, a long file.
async fn registers_tol_codes_company_forms_workbooks_and_long_files(app: TestApp) {
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    for name in [
        "Uniikki Testi Oy",
        "Hervanta Tilitoimisto Ky",
        "Kauppa Kolmio Oy",
    ] {
        let r = lead
            .post(
                "/api/v1/employers",
                json!({"name": name, "municipality_code": "837"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let file = "Nimi;Kunta;Toimiala\r\n\
        Siivous Kiilto Oy;Tampere;81210\r\n\
        Rakennus Routa Oy;Tampere;Rakentaminen\r\n\
        Kahvila Kuu Oy;Tampere;I 56101\r\n\
        Outo Ala Oy;Tampere;Kahvila\r\n\
        Uniikki Testi Ky;Tampere;\r\n\
        Uniikki Testi Ab;Tampere;\r\n\
        Hervanta Tilitoimisto Ay;Tampere;\r\n\
        KAUPPA KOLMIO;Tampere;\r\n\
        Uniikki Testi;Tampere;F Rakentaminen\r\n";
    let r = lead
        .post_bytes(
            "/api/v1/imports/employers?dry_run=true",
            "text/csv",
            cp1252(file),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        outcomes(&r.json),
        vec![
            (2, "new".into()),
            (3, "new".into()),
            (4, "new".into()),
            (5, "error".into()),
            (6, "new".into()),
            (7, "existing".into()),
            (8, "new".into()),
            (9, "existing".into()),
            // No form: the register's Oy, not the file's Ky above it.
            (10, "existing".into()),
        ],
        "{}",
        r.text
    );
    let rows = r.json["rows"].as_array().unwrap();
    assert!(
        rows[3]["message"].as_str().unwrap().contains("TOL"),
        "{}",
        rows[3]
    );
    let done = lead
        .post_bytes(
            "/api/v1/imports/employers?mode=valid_rows",
            "text/csv",
            cp1252(file),
        )
        .await;
    let id_of = |line: usize| done.json["rows"][line - 2]["id"].clone();
    for (line, section) in [(2, "N"), (3, "F"), (4, "I")] {
        let e = lead
            .get(&format!("/api/v1/employers/{}", id_of(line)))
            .await;
        assert_eq!(e.json["industry"], section, "row {line}: {}", e.text);
    }

    // A partner's member list says what its rows are.
    let r = lead
        .post_bytes(
            "/api/v1/imports/employers?dry_run=true",
            "text/csv",
            cp1252("Jäsenyritys;Kunta\r\nKahvila Kuu Oy;Tampere\r\n"),
        )
        .await;
    assert_eq!(r.json["columns"][0]["field"], "name", "{}", r.text);

    // A workbook instead of its CSV: say what to do.
    let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
    xlsx.extend_from_slice(&[0u8; 64]);
    let r = lead
        .post_bytes("/api/v1/imports/employers?dry_run=true", "text/csv", xlsx)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Excel"), "{}", r.text);

    // The lead list's own export imports back with its hours.
    let r = lead
        .post(
            "/api/v1/leads",
            json!({"employer_id": id_of(2), "title": "Siivooja", "hours_min": 15, "hours_max": 25}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let export = lead.get("/api/v1/exports/leads?spreadsheet=true").await;
    let back = lead
        .post_bytes(
            "/api/v1/imports/leads?dry_run=true",
            "text/csv",
            export.bytes,
        )
        .await;
    let mapped: Vec<&str> = back.json["columns"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", back.text))
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert!(
        mapped.contains(&"hours_min") && mapped.contains(&"hours_max"),
        "{mapped:?}"
    );

    // A cell of thousands of characters is quoted short in the message.
    let long = format!("Nimi;Y-tunnus\r\nPitkä Oy;{}\r\n", "9".repeat(5000));
    let r = lead
        .post_bytes(
            "/api/v1/imports/employers?dry_run=true",
            "text/csv",
            long.into_bytes(),
        )
        .await;
    let msg = r.json["rows"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", r.text));
    assert!(msg.len() < 400 && msg.contains('…'), "{msg}");

    // The page takes a file far larger than a form (300 KB of rows), and names a missing
    // column in words, not in the API's syntax.
    let mut b = app.browser();
    b.login("lead@a.fi", crate::helpers::PASSWORD).await;
    let mut big = String::from("Nimi;Kunta\r\n");
    for i in 0..12_000 {
        big.push_str(&format!("Yritys numero {i} Oy;Tampere\r\n"));
    }
    assert!(big.len() > 300_000);
    let r = b
        .post("/imports/employers", &[("csv", &big), ("step", "preview")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        &r.text[..r.text.len().min(2000)]
    );
    assert!(
        r.text.contains("Yritys numero 11999 Oy") || r.text.contains("12000"),
        "counted"
    );
    let r = b
        .post(
            "/imports/employers",
            &[
                ("csv", "Firma;Kunta\r\nKahvila Kuu;Tampere\r\n"),
                ("step", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.text.contains("column.name="), "{}", r.text);
    assert!(
        r.text.contains("name=\"column.name\""),
        "the columns to choose from"
    );
}
