-- Incident reports per year and tertial from $fran up to and including $slut.
select
    year(datum) as ar,
    (month(datum) - 1) // 4 + 1 as tertial,
    count(*) as antal,
    count(*) filter (where orsak = 'hot_och_vald') as hot_och_vald
from incidenter
where datum between $fran::date and $slut::date
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by all
order by ar, tertial
