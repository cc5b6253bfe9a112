//! Which column holds which field: suggested from the header row in Finnish, Swedish or
//! English, and overridden by the user where the suggestion is wrong or missing.

use std::collections::BTreeMap;

use crate::error::{AppError, FieldErrors, Msg};
use crate::i18n::Lang;

crate::closed_set! {
    /// A field an import can fill.
    pub enum Field ("import_field") {
        Name = "name",
        BusinessId = "business_id",
        Municipality = "municipality",
        StreetAddress = "street_address",
        PostalCode = "postal_code",
        Industry = "industry",
        Website = "website",
        Description = "description",
        Tags = "tags",
        /// The employer a contact person or a lead belongs to, by name.
        Employer = "employer",
        /// A contact person's name.
        Person = "person",
        /// A contact person's title or role.
        Role = "role",
        Phone = "phone",
        Email = "email",
        /// A lead's job title.
        JobTitle = "job_title",
        HoursMin = "hours_min",
        HoursMax = "hours_max",
        ApplyBy = "apply_by",
        StartsOn = "starts_on",
        Wage = "wage",
    }
}

/// Header texts that mean the field, written as [`normalise`] leaves them.
fn synonyms(f: Field) -> &'static [&'static str] {
    match f {
        Field::Name => &[
            "nimi",
            "name",
            "namn",
            "yritys",
            "yrityksennimi",
            "toiminimi",
            "company",
            "companyname",
            "foretag",
            "företag",
            "företagetsnamn",
            "työnantaja",
            "employer",
            "arbetsgivare",
            "employername",
            "työnantajannimi",
            "jäsenyritys",
            "jäsenyrityksennimi",
            "jäsen",
            "medlemsföretag",
            "medlem",
            "member",
            "membercompany",
        ],
        Field::BusinessId => &[
            "ytunnus",
            "yritystunnus",
            "businessid",
            "fonummer",
            "foretagsid",
            "företagsid",
            "företagsochorganisationsnummer",
            "organisationsnummer",
        ],
        Field::Municipality => &[
            "kunta",
            "paikkakunta",
            "ort",
            "hemort",
            "kotikunta",
            "kuntakoodi",
            "municipality",
            "municipalitycode",
            "kommun",
            "kommunkod",
            "sijaintikunta",
        ],
        Field::StreetAddress => &[
            "katuosoite",
            "osoite",
            "käyntiosoite",
            "address",
            "streetaddress",
            "gatuadress",
            "adress",
            "besöksadress",
        ],
        Field::PostalCode => &["postinumero", "postalcode", "postnummer", "zip", "zipcode"],
        Field::Industry => &["toimiala", "industry", "bransch", "tol", "toimialakoodi"],
        Field::Website => &[
            "www",
            "kotisivu",
            "kotisivut",
            "verkkosivu",
            "verkkosivut",
            "website",
            "webbplats",
            "hemsida",
            "url",
        ],
        Field::Description => &[
            "kuvaus",
            "lisätiedot",
            "description",
            "beskrivning",
            "notes",
            "muistiinpanot",
            "anteckningar",
        ],
        Field::Tags => &[
            "tagit",
            "tunnisteet",
            "avainsanat",
            "tags",
            "taggar",
            "nyckelord",
        ],
        Field::Employer => &[
            "työnantaja",
            "yritys",
            "yrityksennimi",
            "toiminimi",
            "työpaikka",
            "employer",
            "employername",
            "company",
            "companyname",
            "arbetsgivare",
            "företag",
            "företagetsnamn",
            "arbetsplats",
        ],
        Field::Person => &[
            "nimi",
            "yhteyshenkilö",
            "yhteyshenkilönnimi",
            "henkilö",
            "name",
            "contact",
            "contactperson",
            "contactname",
            "person",
            "namn",
            "kontaktperson",
            "kontakt",
        ],
        Field::Role => &[
            "titteli",
            "tehtävä",
            "tehtävänimike",
            "asema",
            "rooli",
            "title",
            "role",
            "position",
            "titel",
            "befattning",
            "roll",
        ],
        Field::Phone => &[
            "puhelin",
            "puhelinnumero",
            "puh",
            "matkapuhelin",
            "gsm",
            "phone",
            "phonenumber",
            "telephone",
            "mobile",
            "telefon",
            "telefonnummer",
            "mobil",
        ],
        Field::Email => &[
            "sähköposti",
            "sähköpostiosoite",
            "sposti",
            "email",
            "emailaddress",
            "mail",
            "epost",
            "epostadress",
        ],
        Field::JobTitle => &[
            "tehtävä",
            "työtehtävä",
            "tehtävänimike",
            "nimike",
            "ammatti",
            "avoinpaikka",
            "title",
            "jobtitle",
            "job",
            "position",
            "vacancy",
            "befattning",
            "tjänst",
            "uppgift",
            "arbetsuppgift",
            "yrke",
            "ledigtjobb",
        ],
        Field::HoursMin => &[
            "tunnitmin",
            "vähimmäistunnit",
            "hoursmin",
            "minhours",
            "timmarmin",
        ],
        Field::HoursMax => &[
            "tunnit",
            "tunnitmax",
            "viikkotunnit",
            "tuntiaviikossa",
            "tuntejaviikossa",
            "hours",
            "hoursmax",
            "maxhours",
            "hoursperweek",
            "timmar",
            "timmarmax",
            "timmarpervecka",
            "työaika",
            "viikkotyöaika",
            "arbetstid",
            "workinghours",
        ],
        Field::ApplyBy => &[
            "hakuaika",
            "hakupäättyy",
            "hakuaikapäättyy",
            "haeviimeistään",
            "viimeinenhakupäivä",
            "applyby",
            "deadline",
            "applicationdeadline",
            "sistaansökningsdag",
            "ansökningstid",
            "ansökningstidengårut",
            "ansökningstidenutgår",
        ],
        Field::StartsOn => &[
            "alkaa",
            "aloitus",
            "alkamispäivä",
            "aloituspäivä",
            "startdate",
            "startson",
            "start",
            "börjar",
            "startdatum",
            "tillträde",
        ],
        Field::Wage => &["palkka", "palkkaus", "wage", "salary", "pay", "lön"],
    }
}

/// Lower case, letters and digits only: `Y-tunnus` → `ytunnus`.
pub fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a header is the field's own label in one of our languages: the header our
/// exports write, so an exported file imports back.
fn labelled(f: Field, header: &str) -> bool {
    use crate::domain::closed_set::ClosedSet;
    [Lang::Fi, Lang::Sv, Lang::En]
        .iter()
        .any(|l| normalise(&crate::i18n::t(*l, f.key())) == header)
}

/// The field of each column (None: not imported).
#[derive(Debug, Clone)]
pub struct Mapping {
    pub columns: Vec<Option<Field>>,
}

impl Mapping {
    pub fn column(&self, f: Field) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(f))
    }

    /// Suggested from the headers; `overrides` (field name → header text) win. A field
    /// in `required` that no column holds refuses the file.
    pub fn build(
        headers: &[String],
        fields: &[Field],
        required: &[Field],
        overrides: &BTreeMap<String, String>,
    ) -> Result<Self, AppError> {
        let mut columns: Vec<Option<Field>> = headers
            .iter()
            .map(|h| {
                let n = normalise(h);
                fields.iter().copied().find(|f| {
                    synonyms(*f).contains(&n.as_str())
                        || f.as_str().replace('_', "") == n
                        || labelled(*f, &n)
                })
            })
            .collect();
        // The first column wins when two mean the same field.
        for i in 0..columns.len() {
            if let Some(f) = columns[i] {
                if columns[..i].contains(&Some(f)) {
                    columns[i] = None;
                }
            }
        }
        let mut e = FieldErrors::default();
        for (field, header) in overrides {
            let Some(f) = Field::parse(field).filter(|f| fields.contains(f)) else {
                e.add(
                    &format!("column.{field}"),
                    Msg::new("error.import.unknown_field"),
                );
                continue;
            };
            let wanted = normalise(header);
            match headers.iter().position(|h| normalise(h) == wanted) {
                Some(i) => {
                    for c in columns.iter_mut().filter(|c| **c == Some(f)) {
                        *c = None;
                    }
                    columns[i] = Some(f);
                }
                None => e.add(
                    &format!("column.{field}"),
                    Msg::new("error.import.no_such_column").arg("header", header),
                ),
            }
        }
        e.into_result()?;
        for f in required {
            if !columns.contains(&Some(*f)) {
                return Err(AppError::Validation(FieldErrors::single(
                    "file",
                    Msg::new("error.import.missing_column")
                        .arg("field", f.as_str())
                        .arg_label("label", format!("import_field.{}", f.as_str())),
                )));
            }
        }
        Ok(Self { columns })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finnish_swedish_and_english_headers() {
        let all = crate::domain::imports::employers::FIELDS;
        let m = Mapping::build(
            &h(&["Y-tunnus", "Yrityksen nimi", "Kunta", "Postinumero", "Muu"]),
            all,
            &[Field::Name],
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(
            m.columns,
            vec![
                Some(Field::BusinessId),
                Some(Field::Name),
                Some(Field::Municipality),
                Some(Field::PostalCode),
                None
            ]
        );
        let m = Mapping::build(
            &h(&["Företag", "FO-nummer", "Kommun"]),
            all,
            &[],
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(m.column(Field::BusinessId), Some(1));
        let m = Mapping::build(
            &h(&["Business ID", "Company name"]),
            all,
            &[],
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(m.column(Field::Name), Some(1));
    }

    #[test]
    fn overrides_win_and_a_missing_required_column_refuses() {
        let over = BTreeMap::from([("name".to_string(), "Toiminimi 2".to_string())]);
        let m = Mapping::build(
            &h(&["Nimi", "Toiminimi 2"]),
            crate::domain::imports::employers::FIELDS,
            &[Field::Name],
            &over,
        )
        .unwrap();
        assert_eq!(m.columns, vec![None, Some(Field::Name)]);
        assert!(Mapping::build(
            &h(&["Kunta"]),
            crate::domain::imports::employers::FIELDS,
            &[Field::Name],
            &BTreeMap::new()
        )
        .is_err());
        let bad = BTreeMap::from([("nimi".to_string(), "Kunta".to_string())]);
        assert!(Mapping::build(
            &h(&["Kunta"]),
            crate::domain::imports::employers::FIELDS,
            &[],
            &bad
        )
        .is_err());
    }
}
