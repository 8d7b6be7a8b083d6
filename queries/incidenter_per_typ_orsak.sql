-- Incident reports per typ and orsak dated $fran..$slut.
select typ, orsak, count(*) as antal
from incidenter
where datum between $fran::date and $slut::date
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by typ, orsak
order by typ, orsak
