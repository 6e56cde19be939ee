-- The production tables of Zéro Logement Vacant that the warehouse reads, as the demo creates them.
-- Columns and types follow the application's documented schema; keys and foreign keys are added by
-- production-constraints.sql once the rows are in (loading is faster without them).
-- {{GEOMETRY}} is `geometry` where PostGIS is available, `bytea` (WKB) elsewhere.

CREATE TABLE buildings (
    id                   varchar NOT NULL,
    housing_count        integer NOT NULL,
    vacant_housing_count integer NOT NULL,
    rent_housing_count   integer,
    rnb_id               varchar,
    rnb_id_score         integer,
    rnb_footprint        integer,
    dpe_id               varchar,
    class_dpe            varchar,
    class_ges            varchar,
    dpe_date_at          date,
    dpe_type             varchar,
    heating_building     varchar,
    dpe_import_match     varchar
);

-- fast_housing is partitioned by INSEE commune code, one partition per département.
CREATE TABLE fast_housing (
    id                          uuid      NOT NULL,
    invariant                   varchar   NOT NULL,
    local_id                    varchar   NOT NULL,
    building_id                 varchar,
    address_dgfip               text[]    NOT NULL,
    geo_code                    varchar(5) NOT NULL,
    longitude_dgfip             double precision,
    latitude_dgfip              double precision,
    cadastral_classification    integer,
    uncomfortable               boolean   NOT NULL,
    vacancy_start_year          integer,
    housing_kind                varchar   NOT NULL,
    rooms_count                 integer,
    living_area                 integer,
    cadastral_reference         varchar,
    building_year               integer,
    mutation_date               date,
    taxed                       boolean,
    data_years                  integer[] NOT NULL,
    beneficiary_count           integer,
    building_location           varchar,
    rental_value                integer,
    condominium                 varchar,
    status                      integer   NOT NULL,
    sub_status                  varchar,
    actual_dpe                  varchar,
    energy_consumption_bdnb     varchar,
    energy_consumption_at_bdnb  timestamptz,
    occupancy_source            varchar   NOT NULL,
    occupancy                   varchar   NOT NULL,
    occupancy_intended          varchar,
    plot_id                     varchar,
    building_group_id           varchar,
    data_source                 varchar,
    data_file_years             text[],
    geolocation                 varchar,
    geolocation_source          varchar,
    plot_area                   integer,
    last_mutation_date          timestamptz,
    last_transaction_date       timestamptz,
    last_transaction_value      integer,
    occupancy_history           varchar,
    last_mutation_type          varchar GENERATED ALWAYS AS (
        CASE
            WHEN last_transaction_date IS NOT NULL AND last_transaction_date >= last_mutation_date THEN 'sale'
            WHEN last_mutation_date IS NOT NULL THEN 'donation'
        END) STORED
) PARTITION BY RANGE (geo_code);

CREATE TABLE owners (
    id                 uuid    NOT NULL,
    idpersonne         varchar,
    full_name          varchar NOT NULL,
    full_name_fts      tsvector GENERATED ALWAYS AS (to_tsvector('simple', full_name)) STORED,
    birth_date         date,
    administrator      varchar,
    siren              varchar,
    address_dgfip      text[],
    additional_address varchar,
    email              varchar,
    phone              varchar,
    data_source        varchar,
    kind_class         varchar,
    entity             varchar,
    username           varchar,
    do_not_contact     boolean NOT NULL DEFAULT false,
    is_multi_owner     boolean,
    created_at         timestamptz,
    updated_at         timestamptz
);

CREATE TABLE owners_housing (
    owner_id             uuid    NOT NULL,
    housing_id           uuid    NOT NULL,
    housing_geo_code     varchar NOT NULL,
    rank                 integer NOT NULL,
    start_date           date,
    end_date             date,
    origin               varchar,
    idprocpte            varchar,
    idprodroit           varchar,
    locprop_source       varchar,
    locprop_relative_ban integer,
    locprop_distance_ban double precision,
    property_right       varchar
);

CREATE TABLE events (
    id         uuid        NOT NULL,
    type       varchar     NOT NULL DEFAULT 'empty',
    next_old   jsonb,
    next_new   jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid        NOT NULL
);

CREATE TABLE housing_events (
    event_id         uuid    NOT NULL,
    housing_id       uuid    NOT NULL,
    housing_geo_code varchar NOT NULL
);

CREATE TABLE housing_document_events (
    event_id         uuid    NOT NULL,
    housing_id       uuid    NOT NULL,
    housing_geo_code varchar NOT NULL,
    document_id      uuid    NOT NULL
);

CREATE TABLE owner_events (
    event_id uuid NOT NULL,
    owner_id uuid NOT NULL
);

CREATE TABLE group_housing_events (
    event_id         uuid    NOT NULL,
    housing_id       uuid    NOT NULL,
    housing_geo_code varchar NOT NULL,
    group_id         uuid
);

CREATE TABLE establishments (
    id                  uuid    NOT NULL,
    name                varchar NOT NULL,
    siren               integer,
    siret               varchar(14),
    available           boolean NOT NULL,
    localities_geo_code text[],
    kind                varchar NOT NULL,
    kind_admin          varchar,
    kind_admin_meta     varchar(50),
    millesime           varchar(4),
    source              varchar NOT NULL DEFAULT 'seed',
    dep_code            text[],
    dep_name            varchar,
    reg_code            text[],
    reg_name            varchar,
    layer_geo_label     varchar,
    updated_at          timestamptz,
    deleted_at          timestamptz,
    suspended_at        timestamptz,
    suspended_cause     varchar
);

CREATE TABLE users (
    id                           uuid    NOT NULL,
    email                        varchar NOT NULL,
    password                     varchar,
    first_name                   varchar,
    last_name                    varchar,
    establishment_id             uuid,
    role                         integer NOT NULL,
    activated_at                 timestamptz,
    last_authenticated_at        timestamptz,
    deleted_at                   timestamptz,
    updated_at                   timestamptz,
    phone                        varchar,
    position                     varchar,
    time_per_week                varchar,
    kind                         varchar,
    suspended_at                 timestamptz,
    suspended_cause              varchar,
    two_factor_secret            varchar,
    two_factor_code              varchar,
    two_factor_code_generated_at timestamptz,
    two_factor_enabled_at        timestamptz,
    two_factor_locked_until      timestamptz,
    two_factor_failed_attempts   integer
);

CREATE TABLE campaigns (
    id                          uuid    NOT NULL,
    title                       varchar NOT NULL,
    description                 text,
    establishment_id            uuid    NOT NULL,
    user_id                     uuid    NOT NULL,
    group_id                    uuid,
    status                      varchar NOT NULL,
    filters                     jsonb,
    file                        varchar,
    created_at                  timestamptz,
    validated_at                timestamptz,
    exported_at                 timestamptz,
    sent_at                     timestamptz,
    confirmed_at                timestamptz,
    archived_at                 timestamptz,
    housing_count               integer DEFAULT 0,
    owner_count                 integer,
    return_count                integer,
    return_rate                 numeric,
    campaign_number_deprecated  integer,
    kind_deprecated             integer,
    reminder_number_deprecated  integer,
    start_month_deprecated      varchar,
    recovery_id                 varchar
);

CREATE TABLE campaigns_housing (
    campaign_id      uuid    NOT NULL,
    housing_id       uuid    NOT NULL,
    housing_geo_code varchar NOT NULL,
    advice           text
);

CREATE TABLE groups (
    id               uuid        NOT NULL,
    title            varchar     NOT NULL,
    description      text        NOT NULL,
    establishment_id uuid        NOT NULL,
    user_id          uuid        NOT NULL,
    created_at       timestamptz NOT NULL,
    exported_at      timestamptz,
    archived_at      timestamptz,
    housing_count    integer,
    owner_count      integer
);

CREATE TABLE groups_housing (
    group_id         uuid    NOT NULL,
    housing_id       uuid    NOT NULL,
    housing_geo_code varchar NOT NULL
);

CREATE TABLE geo_perimeters (
    id               uuid NOT NULL,
    establishment_id uuid,
    name             varchar,
    kind             varchar,
    geom             {{GEOMETRY}},
    created_at       timestamptz,
    created_by       uuid
);

CREATE TABLE notes (
    id                      uuid        NOT NULL,
    content                 text        NOT NULL,
    note_kind               varchar     NOT NULL DEFAULT 'Note courante',
    created_by              uuid,
    created_at              timestamptz,
    updated_at              timestamptz,
    deleted_at              timestamptz,
    contact_kind_deprecated varchar,
    title_deprecated        varchar
);

CREATE TABLE housing_notes (
    note_id          uuid    NOT NULL,
    housing_id       uuid    NOT NULL,
    housing_geo_code varchar NOT NULL
);

CREATE TABLE owner_notes (
    note_id  uuid NOT NULL,
    owner_id uuid NOT NULL
);
