-- Incident reports per year and month from $fran up to and including $slut.
select
    year(datum) as ar,
    month(datum) as manad,
    count(*) as antal,
    count(*) filter (where orsak = 'hot_och_vald') as hot_och_vald
from incidenter
where datum between $fran::date and $slut::date
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by all
order by ar, manad
