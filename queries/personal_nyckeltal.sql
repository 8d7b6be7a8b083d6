-- Headcount figures for one month's snapshot (contract 2, Personal).
with rader as (
    select person_id, kon, fodelsear, anstallningsform, sysselsattningsgrad, faktisk_sysselsattningsgrad,
           anstallningsform in ('tillsvidare', 'tidsbegransad') as manadsavlonad,
           year(period) - fodelsear as alder
    from anstallningar
    where period = $period::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    count(distinct person_id) filter (where anstallningsform = 'tillsvidare') as antal_tillsvidare,
    count(distinct person_id) filter (where anstallningsform = 'tillsvidare' and kon = 'K') as antal_tillsvidare_kvinnor,
    count(distinct person_id) filter (where anstallningsform = 'tillsvidare' and kon = 'M') as antal_tillsvidare_man,
    count(distinct person_id) filter (where anstallningsform = 'tidsbegransad') as antal_tidsbegransade,
    count(distinct person_id) filter (where anstallningsform = 'timavlonad') as antal_timavlonade,
    count(distinct person_id) filter (where manadsavlonad) as antal_manadsavlonade,
    count(distinct person_id) filter (where manadsavlonad and kon = 'K') as manadsavlonade_kvinnor,
    count(distinct person_id) filter (where manadsavlonad and kon = 'M') as manadsavlonade_man,
    avg(alder) filter (where manadsavlonad) as medelalder,
    count(distinct person_id) filter (where manadsavlonad and sysselsattningsgrad < 100) as antal_deltid,
    count(distinct person_id) filter (where manadsavlonad and sysselsattningsgrad = 100) as heltid,
    count(distinct person_id) filter (where manadsavlonad and kon = 'K' and sysselsattningsgrad = 100) as heltid_kvinnor,
    count(distinct person_id) filter (where manadsavlonad and kon = 'M' and sysselsattningsgrad = 100) as heltid_man,
    count(distinct person_id) filter (where manadsavlonad and faktisk_sysselsattningsgrad = 100) as heltidsarbetande,
    count(distinct person_id) filter (where manadsavlonad and faktisk_sysselsattningsgrad is not null) as med_faktisk
from rader
