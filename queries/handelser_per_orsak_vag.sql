-- Events per handelse, anställningsform, orsak and väg, year to date ($arsstart … $slut) and the
-- same period last year ($fjol_start … $fjol_slut).
select
    case when datum >= $arsstart::date then 'i_ar' else 'i_fjol' end as jamforelse,
    handelse,
    anstallningsform,
    orsak,
    vag,
    count(*) as antal
from handelser
where (datum between $arsstart::date and $slut::date or datum between $fjol_start::date and $fjol_slut::date)
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by all
order by jamforelse, handelse, anstallningsform, orsak, vag
