-- Månadsavlönade at $period by age (year of the period minus fodelsear), with how many have
-- sysselsattningsgrad 100; the caller puts the ages into bands.
select
    year(period) - fodelsear as alder,
    count(distinct person_id) as manadsavlonade,
    count(distinct person_id) filter (where sysselsattningsgrad = 100) as heltid,
    count(distinct person_id) filter (where sysselsattningsgrad < 100) as deltid
from anstallningar
where period = $period::date
  and anstallningsform in ('tillsvidare', 'tidsbegransad')
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by alder
order by alder
