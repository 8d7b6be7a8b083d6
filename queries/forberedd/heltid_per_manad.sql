-- Heltid among månadsavlönade per month from $fran to $till (Kolada N00206 on
-- sysselsattningsgrad, N00209 on faktisk_sysselsattningsgrad), in total and per kön; months
-- present in the extract but empty in the scope are listed with zeros.
-- Prepared store: from the month's row counts per enhet and their heltid/deltid conditions (one
-- row per person and month, so rows are persons).
with manader as (
    select distinct period
    from personal_summor
    where period between $fran::date and $till::date
),
antal as (
    select
        period,
        sum(antal) as manadsavlonade,
        sum(antal) filter (where heltid) as heltid,
        sum(antal) filter (where deltid) as deltid,
        sum(antal) filter (where kon = 'K') as kvinnor,
        sum(antal) filter (where kon = 'K' and heltid) as heltid_kvinnor,
        sum(antal) filter (where kon = 'M') as man,
        sum(antal) filter (where kon = 'M' and heltid) as heltid_man,
        sum(antal) filter (where med_faktisk) as med_faktisk,
        sum(antal) filter (where heltidsarbetande) as heltidsarbetande
    from personal_summor
    where period between $fran::date and $till::date
      and anstallningsform in ('tillsvidare', 'tidsbegransad')
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
)
select
    m.period,
    coalesce(a.manadsavlonade, 0)::bigint as manadsavlonade,
    coalesce(a.heltid, 0)::bigint as heltid,
    coalesce(a.deltid, 0)::bigint as deltid,
    coalesce(a.kvinnor, 0)::bigint as kvinnor,
    coalesce(a.heltid_kvinnor, 0)::bigint as heltid_kvinnor,
    coalesce(a.man, 0)::bigint as man,
    coalesce(a.heltid_man, 0)::bigint as heltid_man,
    coalesce(a.med_faktisk, 0)::bigint as med_faktisk,
    coalesce(a.heltidsarbetande, 0)::bigint as heltidsarbetande
from manader as m
left join antal as a using (period)
order by m.period
