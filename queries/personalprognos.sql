-- The external staffing forecast for the förvaltningar in scope, summed over them. The forecast
-- is made per förvaltning only, so avdelning and enhet filters do not narrow it.
select
    ar,
    yrkeskategori,
    sum(personalbehov) as personalbehov,
    sum(rekryteringsbehov) as rekryteringsbehov
from personalprognos
where i_lista(forvaltning, $forvaltningar)
group by ar, yrkeskategori
order by yrkeskategori, ar
