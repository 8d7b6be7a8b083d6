-- Persons per befattning at $period with anställningsform $anstallningsform, most common first.
select befattning, count(distinct person_id) as antal
from anstallningar
where period = $period::date
  and anstallningsform = $anstallningsform
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by befattning
order by antal desc, befattning
