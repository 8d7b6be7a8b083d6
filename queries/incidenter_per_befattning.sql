-- Incident reports per befattning (null when not recorded) dated $fran..$slut.
select
    befattning,
    count(*) as antal,
    count(*) filter (where orsak = 'hot_och_vald') as hot_och_vald
from incidenter
where datum between $fran::date and $slut::date
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by befattning
order by antal desc, befattning
