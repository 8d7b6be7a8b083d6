-- The headcount figures of personal_nyckeltal for every month $fran..$till present in
-- anstallningar; a month present in the extract but empty in the scope has zero counts.
-- (period, person_id) is unique in a validated extract, so counting rows counts distinct persons.
with manader as (
    select distinct period
    from anstallningar
    where period between $fran::date and $till::date
),
rader as (
    select period, person_id, kon, anstallningsform, sysselsattningsgrad, faktisk_sysselsattningsgrad,
           anstallningsform in ('tillsvidare', 'tidsbegransad') as manadsavlonad,
           year(period) - fodelsear as alder
    from anstallningar
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
antal as (
    select
        period,
        count(*) filter (where anstallningsform = 'tillsvidare') as antal_tillsvidare,
        count(*) filter (where anstallningsform = 'tillsvidare' and kon = 'K') as antal_tillsvidare_kvinnor,
        count(*) filter (where anstallningsform = 'tillsvidare' and kon = 'M') as antal_tillsvidare_man,
        count(*) filter (where anstallningsform = 'tidsbegransad') as antal_tidsbegransade,
        count(*) filter (where anstallningsform = 'timavlonad') as antal_timavlonade,
        count(*) filter (where manadsavlonad) as antal_manadsavlonade,
        count(*) filter (where manadsavlonad and kon = 'K') as manadsavlonade_kvinnor,
        count(*) filter (where manadsavlonad and kon = 'M') as manadsavlonade_man,
        avg(alder) filter (where manadsavlonad) as medelalder,
        count(*) filter (where manadsavlonad and sysselsattningsgrad < 100) as antal_deltid,
        count(*) filter (where manadsavlonad and sysselsattningsgrad = 100) as heltid,
        count(*) filter (where manadsavlonad and kon = 'K' and sysselsattningsgrad = 100) as heltid_kvinnor,
        count(*) filter (where manadsavlonad and kon = 'M' and sysselsattningsgrad = 100) as heltid_man,
        count(*) filter (where manadsavlonad and faktisk_sysselsattningsgrad = 100) as heltidsarbetande,
        count(*) filter (where manadsavlonad and faktisk_sysselsattningsgrad is not null) as med_faktisk
    from rader
    group by period
)
select
    m.period,
    coalesce(a.antal_tillsvidare, 0) as antal_tillsvidare,
    coalesce(a.antal_tillsvidare_kvinnor, 0) as antal_tillsvidare_kvinnor,
    coalesce(a.antal_tillsvidare_man, 0) as antal_tillsvidare_man,
    coalesce(a.antal_tidsbegransade, 0) as antal_tidsbegransade,
    coalesce(a.antal_timavlonade, 0) as antal_timavlonade,
    coalesce(a.antal_manadsavlonade, 0) as antal_manadsavlonade,
    coalesce(a.manadsavlonade_kvinnor, 0) as manadsavlonade_kvinnor,
    coalesce(a.manadsavlonade_man, 0) as manadsavlonade_man,
    a.medelalder,
    coalesce(a.antal_deltid, 0) as antal_deltid,
    coalesce(a.heltid, 0) as heltid,
    coalesce(a.heltid_kvinnor, 0) as heltid_kvinnor,
    coalesce(a.heltid_man, 0) as heltid_man,
    coalesce(a.heltidsarbetande, 0) as heltidsarbetande,
    coalesce(a.med_faktisk, 0) as med_faktisk
from manader as m
left join antal as a using (period)
order by m.period
