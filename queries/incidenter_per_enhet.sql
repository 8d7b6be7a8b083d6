-- Incident reports per enhet dated $fran..$slut, in total and with orsak hot och våld.
select
    forvaltning,
    avdelning,
    enhet,
    count(*) as antal,
    count(*) filter (where orsak = 'hot_och_vald') as hot_och_vald
from incidenter
where datum between $fran::date and $slut::date
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by forvaltning, avdelning, enhet
order by forvaltning, avdelning, enhet
