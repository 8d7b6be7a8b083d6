-- For each month $fran..$till present in franvaro: the sick-leave sums of the 12 months ending that
-- month per obligatory group (as sjukfranvaro_per_grupp) and the distinct persons with scheduled
-- hours in that window, which decides suppression. Rows are scoped by the anstallningar row of
-- their own month; a month with no rows in the scope is not listed.
with manader as (
    select distinct period as manad
    from franvaro
    where period between $fran::date and $till::date
),
rader as (
    select
        f.period,
        f.person_id,
        f.ordinarie_timmar,
        f.sjuk_timmar,
        f.sjuk_kort_timmar,
        f.sjuk_lang_timmar,
        case a.kon when 'K' then 'kvinnor' when 'M' then 'man' end as kon_grupp,
        case
            when year(f.period) - a.fodelsear <= 29 then '29'
            when year(f.period) - a.fodelsear <= 49 then '30_49'
            else '50'
        end as aldersgrupp
    from franvaro as f
    join anstallningar as a on a.period = f.period and a.person_id = f.person_id
    where f.period between ($fran::date - interval 11 month)::date and $till::date
      and a.period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(a.forvaltning, a.avdelning, a.enhet, $forvaltningar, $avdelningar, $enheter)
),
fonster as (
    select m.manad, r.*
    from manader as m
    join rader as r on r.period between (m.manad - interval 11 month)::date and m.manad
)
select
    manad as period,
    case
        when grouping(kon_grupp) = 0 then kon_grupp
        when grouping(aldersgrupp) = 0 then aldersgrupp
        else 'total'
    end as grupp,
    coalesce(sum(ordinarie_timmar), 0) as ordinarie_timmar,
    coalesce(sum(sjuk_timmar), 0) as sjuk_timmar,
    coalesce(sum(sjuk_kort_timmar), 0) as sjuk_kort_timmar,
    coalesce(sum(sjuk_lang_timmar), 0) as sjuk_lang_timmar,
    count(distinct person_id) filter (where ordinarie_timmar > 0) as personer
from fonster
group by grouping sets ((manad), (manad, kon_grupp), (manad, aldersgrupp))
order by period, grupp
