-- Heltid among månadsavlönade per month from $fran to $till (Kolada N00206 on
-- sysselsattningsgrad, N00209 on faktisk_sysselsattningsgrad), in total and per kön; months
-- present in the extract but empty in the scope are listed with zeros.
with manader as (
    select distinct period
    from anstallningar
    where period between $fran::date and $till::date
),
rader as (
    select period, person_id, kon, sysselsattningsgrad, faktisk_sysselsattningsgrad
    from anstallningar
    where period between $fran::date and $till::date
      and anstallningsform in ('tillsvidare', 'tidsbegransad')
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
personer as (
    -- One row per person and month: a person with several employments counts once in each
    -- group any of them belongs to (as count(distinct person_id) per group would).
    select
        period,
        person_id,
        bool_or(sysselsattningsgrad = 100) as heltid,
        bool_or(sysselsattningsgrad < 100) as deltid,
        bool_or(kon = 'K') as kvinna,
        bool_or(kon = 'K' and sysselsattningsgrad = 100) as heltid_kvinna,
        bool_or(kon = 'M') as man,
        bool_or(kon = 'M' and sysselsattningsgrad = 100) as heltid_man,
        bool_or(faktisk_sysselsattningsgrad is not null) as med_faktisk,
        bool_or(faktisk_sysselsattningsgrad = 100) as heltidsarbetande
    from rader
    group by period, person_id
),
antal as (
    select
        period,
        count(*) as manadsavlonade,
        count(*) filter (where heltid) as heltid,
        count(*) filter (where deltid) as deltid,
        count(*) filter (where kvinna) as kvinnor,
        count(*) filter (where heltid_kvinna) as heltid_kvinnor,
        count(*) filter (where man) as man,
        count(*) filter (where heltid_man) as heltid_man,
        count(*) filter (where med_faktisk) as med_faktisk,
        count(*) filter (where heltidsarbetande) as heltidsarbetande
    from personer
    group by period
)
select
    m.period,
    coalesce(a.manadsavlonade, 0) as manadsavlonade,
    coalesce(a.heltid, 0) as heltid,
    coalesce(a.deltid, 0) as deltid,
    coalesce(a.kvinnor, 0) as kvinnor,
    coalesce(a.heltid_kvinnor, 0) as heltid_kvinnor,
    coalesce(a.man, 0) as man,
    coalesce(a.heltid_man, 0) as heltid_man,
    coalesce(a.med_faktisk, 0) as med_faktisk,
    coalesce(a.heltidsarbetande, 0) as heltidsarbetande
from manader as m
left join antal as a using (period)
order by m.period
