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
antal as (
    select
        period,
        count(distinct person_id) as manadsavlonade,
        count(distinct person_id) filter (where sysselsattningsgrad = 100) as heltid,
        count(distinct person_id) filter (where sysselsattningsgrad < 100) as deltid,
        count(distinct person_id) filter (where kon = 'K') as kvinnor,
        count(distinct person_id) filter (where kon = 'K' and sysselsattningsgrad = 100) as heltid_kvinnor,
        count(distinct person_id) filter (where kon = 'M') as man,
        count(distinct person_id) filter (where kon = 'M' and sysselsattningsgrad = 100) as heltid_man,
        count(distinct person_id) filter (where faktisk_sysselsattningsgrad is not null) as med_faktisk,
        count(distinct person_id) filter (where faktisk_sysselsattningsgrad = 100) as heltidsarbetande
    from rader
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
