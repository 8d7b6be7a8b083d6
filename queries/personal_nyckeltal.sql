-- Headcount figures for one month's snapshot (contract 2, Personal). (period, person_id) is
-- unique in a validated extract, so counting rows counts distinct persons.
with rader as (
    select person_id, kon, fodelsear, anstallningsform, sysselsattningsgrad, faktisk_sysselsattningsgrad,
           anstallningsform in ('tillsvidare', 'tidsbegransad') as manadsavlonad,
           year(period) - fodelsear as alder
    from anstallningar
    where period = $period::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
)
select
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
