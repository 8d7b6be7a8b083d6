-- Headcount figures for one month's snapshot (contract 2, Personal). (period, person_id) is
-- unique in a validated extract, so counting rows counts distinct persons.
-- Prepared store: from the month's row counts per enhet, kön, anstallningsform and the
-- sysselsättningsgrad conditions (a sum of counts is the count).
with rader as (
    select *, anstallningsform in ('tillsvidare', 'tidsbegransad') as manadsavlonad
    from personal_summor
    where period = $period::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    coalesce(sum(antal) filter (where anstallningsform = 'tillsvidare'), 0)::bigint as antal_tillsvidare,
    coalesce(sum(antal) filter (where anstallningsform = 'tillsvidare' and kon = 'K'), 0)::bigint as antal_tillsvidare_kvinnor,
    coalesce(sum(antal) filter (where anstallningsform = 'tillsvidare' and kon = 'M'), 0)::bigint as antal_tillsvidare_man,
    coalesce(sum(antal) filter (where anstallningsform = 'tidsbegransad'), 0)::bigint as antal_tidsbegransade,
    coalesce(sum(antal) filter (where anstallningsform = 'timavlonad'), 0)::bigint as antal_timavlonade,
    coalesce(sum(antal) filter (where manadsavlonad), 0)::bigint as antal_manadsavlonade,
    coalesce(sum(antal) filter (where manadsavlonad and kon = 'K'), 0)::bigint as manadsavlonade_kvinnor,
    coalesce(sum(antal) filter (where manadsavlonad and kon = 'M'), 0)::bigint as manadsavlonade_man,
    (sum(summa_alder) filter (where manadsavlonad))::double
        / nullif(sum(med_alder) filter (where manadsavlonad), 0) as medelalder,
    coalesce(sum(antal) filter (where manadsavlonad and deltid), 0)::bigint as antal_deltid,
    coalesce(sum(antal) filter (where manadsavlonad and heltid), 0)::bigint as heltid,
    coalesce(sum(antal) filter (where manadsavlonad and kon = 'K' and heltid), 0)::bigint as heltid_kvinnor,
    coalesce(sum(antal) filter (where manadsavlonad and kon = 'M' and heltid), 0)::bigint as heltid_man,
    coalesce(sum(antal) filter (where manadsavlonad and heltidsarbetande), 0)::bigint as heltidsarbetande,
    coalesce(sum(antal) filter (where manadsavlonad and med_faktisk), 0)::bigint as med_faktisk
from rader
