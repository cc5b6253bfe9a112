//! The one portable schema, kept by hand: both migration folders must produce it.

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    teams (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        team_id -> Nullable<BigInt>,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        locale -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        organisation_id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        token_prefix -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    employers (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        name_lower -> Text,
        business_id -> Nullable<Text>,
        industry -> Nullable<Text>,
        size_class -> Nullable<Text>,
        street_address -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        tags -> Text,
        owner_id -> Nullable<BigInt>,
        stage -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        employer_id -> BigInt,
        name -> Text,
        title -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        preferred_channel -> Nullable<Text>,
        can_hire -> Bool,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(teams -> organisations (organisation_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(employers -> organisations (organisation_id));
diesel::joinable!(contacts -> employers (employer_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    teams,
    users,
    sessions,
    api_tokens,
    employers,
    contacts
);
