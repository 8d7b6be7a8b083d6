-- The state store's first schema: activity changes, the access log, reviewed report text, and the
-- record of imports from the old JSON-folder activity log. Every history table is append-only.
create table andringar (
    seq integer primary key,
    aktivitet_id text not null,
    status text not null check (status in ('ej_paborjad', 'pagar', 'klar', 'installd')),
    kommentar text,
    av text not null,
    av_id text,
    tid text not null,
    kalla text not null check (kalla in ('app', 'cli', 'import'))
);
create index andringar_per_aktivitet on andringar (aktivitet_id, seq);

create table atkomstlogg (
    seq integer primary key,
    tid text not null,
    person_id text not null,
    sida text not null,
    urval text not null,
    nedladdning text
);
create index atkomstlogg_per_tid on atkomstlogg (tid);

create table rapporttexter (
    seq integer primary key,
    period text not null,
    urval text not null,
    avsnitt text not null,
    text text,
    av text not null,
    av_id text,
    fingeravtryck text not null,
    tid text not null
);
create index rapporttexter_per_nyckel on rapporttexter (period, urval, avsnitt, seq);

create table importer (
    namn text primary key,
    tid text not null,
    mapp text not null,
    antal integer not null,
    hogsta_seq integer not null
);

create trigger andringar_uppdateras_aldrig before update on andringar
begin select raise(abort, 'Tabellen andringar får bara fyllas på: rader ändras aldrig.'); end;
create trigger andringar_tas_aldrig_bort before delete on andringar
begin select raise(abort, 'Tabellen andringar får bara fyllas på: rader tas aldrig bort.'); end;
create trigger atkomstlogg_uppdateras_aldrig before update on atkomstlogg
begin select raise(abort, 'Tabellen atkomstlogg får bara fyllas på: rader ändras aldrig.'); end;
create trigger atkomstlogg_tas_aldrig_bort before delete on atkomstlogg
begin select raise(abort, 'Tabellen atkomstlogg får bara fyllas på: rader tas aldrig bort.'); end;
create trigger rapporttexter_uppdateras_aldrig before update on rapporttexter
begin select raise(abort, 'Tabellen rapporttexter får bara fyllas på: rader ändras aldrig.'); end;
create trigger rapporttexter_tas_aldrig_bort before delete on rapporttexter
begin select raise(abort, 'Tabellen rapporttexter får bara fyllas på: rader tas aldrig bort.'); end;
