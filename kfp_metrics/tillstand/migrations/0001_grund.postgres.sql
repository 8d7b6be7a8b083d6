-- The state store's first schema: activity changes, the access log, reviewed report text, and the
-- record of imports from the old JSON-folder activity log. Every history table is append-only, and
-- the database itself refuses UPDATE, DELETE and TRUNCATE on them (the triggers below).
create table andringar (
    seq bigint primary key,
    aktivitet_id text not null,
    status text not null check (status in ('ej_paborjad', 'pagar', 'klar', 'installd')),
    kommentar text,
    av text not null,
    av_id text,
    tid timestamptz not null,
    kalla text not null check (kalla in ('app', 'cli', 'import'))
);
create index andringar_per_aktivitet on andringar (aktivitet_id, seq);

create table atkomstlogg (
    seq bigint primary key,
    tid timestamptz not null,
    person_id text not null,
    sida text not null,
    urval text not null,
    nedladdning text
);
create index atkomstlogg_per_tid on atkomstlogg (tid);

create table rapporttexter (
    seq bigint primary key,
    period text not null,
    urval text not null,
    avsnitt text not null,
    text text,
    av text not null,
    av_id text,
    fingeravtryck text not null,
    tid timestamptz not null
);
create index rapporttexter_per_nyckel on rapporttexter (period, urval, avsnitt, seq);

create table importer (
    namn text primary key,
    tid timestamptz not null,
    mapp text not null,
    antal bigint not null,
    hogsta_seq bigint not null
);

create function kfp_endast_tillagg() returns trigger language plpgsql as $$
begin
    raise exception 'Tabellen % får bara fyllas på: rader ändras eller tas aldrig bort.', tg_table_name
        using errcode = 'KFP01';
end
$$;

create trigger andringar_endast_tillagg before update or delete on andringar
    for each row execute function kfp_endast_tillagg();
create trigger andringar_ingen_tomning before truncate on andringar
    for each statement execute function kfp_endast_tillagg();
create trigger atkomstlogg_endast_tillagg before update or delete on atkomstlogg
    for each row execute function kfp_endast_tillagg();
create trigger atkomstlogg_ingen_tomning before truncate on atkomstlogg
    for each statement execute function kfp_endast_tillagg();
create trigger rapporttexter_endast_tillagg before update or delete on rapporttexter
    for each row execute function kfp_endast_tillagg();
create trigger rapporttexter_ingen_tomning before truncate on rapporttexter
    for each statement execute function kfp_endast_tillagg();
