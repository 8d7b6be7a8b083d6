-- Long sick leave per kön over the 12 months ending each month $fran..$till (contract 8): every
-- franvaro row counts, scoped and split by the anstallningar row of its own month, with the
-- distinct persons having scheduled hours in the window, which decides suppression.
with manader as (
    select unnest(generate_series($fran::date, $till::date, interval 1 month))::date as manad
),
rader as materialized (
    select f.period, f.person_id, a.kon, f.ordinarie_timmar, f.sjuk_lang_timmar
    from franvaro as f
    join anstallningar as a on a.period = f.period and a.person_id = f.person_id
    where f.period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(a.forvaltning, a.avdelning, a.enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    m.manad as period,
    r.kon,
    sum(r.ordinarie_timmar) as ordinarie_timmar,
    sum(r.sjuk_lang_timmar) as sjuk_lang_timmar,
    count(distinct r.person_id) filter (where r.ordinarie_timmar > 0) as personer
from manader as m
join rader as r on r.period between (m.manad - interval 11 month)::date and m.manad
group by m.manad, r.kon
order by m.manad, r.kon
