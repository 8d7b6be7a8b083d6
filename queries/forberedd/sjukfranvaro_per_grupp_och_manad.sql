-- For each month $fran..$till present in franvaro: the sick-leave sums of the 12 months ending that
-- month per obligatory group (as sjukfranvaro_per_grupp) and the distinct persons with scheduled
-- hours in that window, which decides suppression. Rows are scoped by the anstallningar row of
-- their own month; a month with no rows in the scope is not listed.
-- Prepared store: as sjukfranvaro_per_manad, per group (total, kön, åldersgrupp): sums per month
-- first, distinct persons through each person's disjoint covered stretches within the group (person_nr: the store's whole-number person id).
with manader as (
    select distinct period as manad
    from franvaro
    where period between $fran::date and $till::date
),
rader as (
    select period, person_nr::bigint as person_nr, ordinarie_timmar, sjuk_timmar, sjuk_kort_timmar, sjuk_lang_timmar,
           kon_grupp, aldersgrupp
    from personmanad
    where period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
grupperade as (
    -- nyckel: one whole number per person and group (its dimension and group code in the low
    -- bits), so that the per-person window below sorts one integer instead of text.
    select 0 as dimension, 'total' as grupp, person_nr * 16 as nyckel, * exclude (kon_grupp, aldersgrupp)
    from rader
    union all
    select
        1 as dimension,
        kon_grupp as grupp,
        person_nr * 16 + 4 + case kon_grupp when 'kvinnor' then 1 when 'man' then 2 else 3 end as nyckel,
        * exclude (kon_grupp, aldersgrupp)
    from rader
    union all
    select
        2 as dimension,
        aldersgrupp as grupp,
        person_nr * 16 + 8 + case aldersgrupp when '29' then 1 when '30_49' then 2 else 3 end as nyckel,
        * exclude (kon_grupp, aldersgrupp)
    from rader
),
per_period as (
    select
        dimension,
        grupp,
        period,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from grupperade
    group by dimension, grupp, period
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
                (lag(period) over (partition by nyckel order by period) + interval 12 month)::date,
                period
            )
        ) as fran_manad,
        (period + interval 11 month)::date as till_manad
    from grupperade
    where ordinarie_timmar > 0
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
