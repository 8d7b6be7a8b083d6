-- Heltid among månadsavlönade per avdelning at $period (N00206; N00209 where the extract has
-- faktisk_sysselsattningsgrad).
select
    forvaltning,
    avdelning,
    count(distinct person_id) as manadsavlonade,
    count(distinct person_id) filter (where sysselsattningsgrad = 100) as heltid,
    count(distinct person_id) filter (where sysselsattningsgrad < 100) as deltid,
    count(distinct person_id) filter (where faktisk_sysselsattningsgrad is not null) as med_faktisk,
    count(distinct person_id) filter (where faktisk_sysselsattningsgrad = 100) as heltidsarbetande
from anstallningar
where period = $period::date
  and anstallningsform in ('tillsvidare', 'tidsbegransad')
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by forvaltning, avdelning
order by forvaltning, avdelning
