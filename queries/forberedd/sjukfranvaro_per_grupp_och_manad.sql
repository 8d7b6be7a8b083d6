-- For each month $fran..$till present in franvaro: the sick-leave sums of the 12 months ending that
-- month per obligatory group (as sjukfranvaro_per_grupp) and the distinct persons with scheduled
-- hours in that window, which decides suppression. Rows are scoped by the anstallningar row of
-- their own month; a month with no rows in the scope is not listed.
-- Prepared store: as sjukfranvaro_per_manad, per group (total, kön, åldersgrupp): the sums per month
-- and group from the per-month, per-enhet sums, the distinct persons through each person's
-- disjoint covered stretches within the group, from the months as bits of its sjuk_personar rows
-- (whose `grupper` bits name its kön and age group).
with manader as (
    select distinct period as manad
    from franvaro
    where period between $fran::date and $till::date
),
per_period as (
    select
        case when grouping(kon_grupp) = 0 then 1 when grouping(aldersgrupp) = 0 then 2 else 0 end as dimension,
        case
            when grouping(kon_grupp) = 0 then kon_grupp
            when grouping(aldersgrupp) = 0 then aldersgrupp
            else 'total'
        end as grupp,
        period,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from sjuk_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by grouping sets ((period), (period, kon_grupp), (period, aldersgrupp))
),
personmanader as (
    -- One row per person and month with scheduled hours (month m of year ar at bit m−1).
    select person_id, grupper, make_date(ar, m, 1) as period
    from (
        select ar, person_id, grupper, manader, unnest(range(1, 13)) as m
        from sjuk_personar
        where ar between year(($fran::date - interval 11 month)::date) and year($till::date)
          and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    )
    where manader & (1 << (m - 1)) <> 0
      and make_date(ar, m, 1) between ($fran::date - interval 11 month)::date and $till::date
),
grupperade as (
    -- nyckel: the dimension and group as one small whole number, partitioned on with the person.
    -- grupper: 1 kvinnor, 2 män, 4 another kön; 8, 16, 32 the age groups 29, 30_49 and 50.
    select 0 as dimension, 'total' as grupp, person_id, 0 as nyckel, period
    from personmanader
    union all
    select
        1 as dimension,
        case when grupper & 1 <> 0 then 'kvinnor' when grupper & 2 <> 0 then 'man' end as grupp,
        person_id,
        4 + case when grupper & 1 <> 0 then 1 when grupper & 2 <> 0 then 2 else 3 end as nyckel,
        period
    from personmanader
    union all
    select
        2 as dimension,
        case when grupper & 8 <> 0 then '29' when grupper & 16 <> 0 then '30_49' else '50' end as grupp,
        person_id,
        8 + case when grupper & 8 <> 0 then 1 when grupper & 16 <> 0 then 2 else 3 end as nyckel,
        period
    from personmanader
),
summor as (
    select
        m.manad,
        p.dimension,
        p.grupp,
        sum(p.ordinarie_timmar) as ordinarie_timmar,
        sum(p.sjuk_timmar) as sjuk_timmar,
        sum(p.sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(p.sjuk_lang_timmar) as sjuk_lang_timmar
    from manader as m
    join per_period as p on p.period between (m.manad - interval 11 month)::date and m.manad
    group by m.manad, p.dimension, p.grupp
),
tackning as (
    select
        dimension,
        grupp,
        greatest(
            period,
            coalesce(
                (lag(period) over (partition by person_id, nyckel order by period) + interval 12 month)::date,
                period
            )
        ) as fran_manad,
        (period + interval 11 month)::date as till_manad
    from grupperade
),
steg as (
    select dimension, grupp, manad, sum(steg) as steg
    from (
        select dimension, grupp, fran_manad as manad, 1 as steg from tackning where fran_manad <= till_manad
        union all
        select dimension, grupp, (till_manad + interval 1 month)::date, -1
        from tackning
        where fran_manad <= till_manad
    )
    group by dimension, grupp, manad
),
lopande as (
    select dimension, grupp, manad, (sum(steg) over (partition by dimension, grupp order by manad))::bigint as personer
    from steg
),
personer as (
    select m.manad, l.dimension, l.grupp, l.personer
    from (select distinct dimension, grupp from lopande) as g
    cross join manader as m
    asof join lopande as l
        on l.dimension = g.dimension and l.grupp is not distinct from g.grupp and m.manad >= l.manad
)
select
    s.manad as period,
    s.grupp,
    coalesce(s.ordinarie_timmar, 0) as ordinarie_timmar,
    coalesce(s.sjuk_timmar, 0) as sjuk_timmar,
    coalesce(s.sjuk_kort_timmar, 0) as sjuk_kort_timmar,
    coalesce(s.sjuk_lang_timmar, 0) as sjuk_lang_timmar,
    coalesce(p.personer, 0) as personer
from summor as s
left join personer as p on p.manad = s.manad and p.dimension = s.dimension and p.grupp is not distinct from s.grupp
order by period, grupp
