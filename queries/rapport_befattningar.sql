-- Månadsavlönade per befattning in the snapshot $period, largest first (the nulägesanalys names
-- the biggest occupational groups and their share of all månadsavlönade).
select befattning, count(distinct person_id) as antal
from anstallningar
where period = $period::date
  and anstallningsform in ('tillsvidare', 'tidsbegransad')
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by befattning
order by antal desc, befattning
