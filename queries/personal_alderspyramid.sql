-- Månadsavlönade at $period by kön and age (year of the period minus fodelsear); the caller
-- puts the ages into bands.
select
    kon,
    year(period) - fodelsear as alder,
    count(distinct person_id) as antal
from anstallningar
where period = $period::date
  and anstallningsform in ('tillsvidare', 'tidsbegransad')
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by kon, alder
order by kon, alder
