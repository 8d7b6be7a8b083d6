-- For each month $fran..$till present in franvaro: the sick-leave sums over the 12 months ending
-- that month (a rolling NT1 window) and the distinct persons with scheduled hours in that window,
-- which decides suppression. Rows are scoped by the anstallningar row of their own month.
with manader as (
    select distinct period as manad
    from franvaro
    where period between $fran::date and $till::date
),
rader as (
    select f.period, f.person_id, f.ordinarie_timmar, f.sjuk_timmar, f.sjuk_kort_timmar, f.sjuk_lang_timmar
    from franvaro as f
    join anstallningar as a on a.period = f.period and a.person_id = f.person_id
    where f.period between $fran::date - interval 11 month and $till::date
      and i_scope(a.forvaltning, a.avdelning, a.enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    m.manad as period,
    coalesce(sum(r.ordinarie_timmar), 0) as ordinarie_timmar,
    coalesce(sum(r.sjuk_timmar), 0) as sjuk_timmar,
    coalesce(sum(r.sjuk_kort_timmar), 0) as sjuk_kort_timmar,
    coalesce(sum(r.sjuk_lang_timmar), 0) as sjuk_lang_timmar,
    count(distinct r.person_id) filter (where r.ordinarie_timmar > 0) as personer
from manader as m
left join rader as r on r.period between m.manad - interval 11 month and m.manad
group by m.manad
order by m.manad
