-- Headcount, women and summed age per avdelning at $period (contract 2, Personal, per avdelning).
with rader as (
    select
        forvaltning, avdelning, person_id, kon, anstallningsform,
        anstallningsform in ('tillsvidare', 'tidsbegransad') as manadsavlonad,
        year(period) - fodelsear as alder
    from anstallningar
    where period = $period::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    forvaltning,
    avdelning,
    count(distinct person_id) filter (where anstallningsform = 'tillsvidare') as tillsvidare,
    count(distinct person_id) filter (where anstallningsform = 'tidsbegransad') as tidsbegransade,
    count(distinct person_id) filter (where anstallningsform = 'timavlonad') as timavlonade,
    count(distinct person_id) filter (where manadsavlonad) as manadsavlonade,
    count(distinct person_id) filter (where manadsavlonad and kon = 'K') as kvinnor,
    avg(alder) filter (where manadsavlonad) as medelalder
from rader
group by forvaltning, avdelning
order by forvaltning, avdelning
