-- For each month $fran..$till present in franvaro: the sick-leave sums of the 12 months ending that
-- month per obligatory group (as sjukfranvaro_per_grupp) and the distinct persons with scheduled
-- hours in that window, which decides suppression. Rows are scoped by the anstallningar row of
-- their own month; a month with no rows in the scope is not listed.
-- Prepared store: as sjukfranvaro_per_manad, per group (total, kön, åldersgrupp): the sums per month
-- and group from the per-month, per-enhet sums; the persons from one two-year mask of months per
-- person, group and year (sjuk_personar's `grupper` bits name a row's kön and age group).
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
personrader as (
    select person_id, ar, grupper, manader
    from sjuk_personar
    where ar between year($fran::date) - 1 and year($till::date)
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
grupperade as (
    -- grupper: 1 kvinnor, 2 män, 4 another kön; 8, 16, 32 the age groups 29, 30_49 and 50.
    select 0 as dimension, 'total' as grupp, person_id, ar, manader
    from personrader
    union all
    select
        1 as dimension,
        case when grupper & 1 <> 0 then 'kvinnor' when grupper & 2 <> 0 then 'man' end as grupp,
        person_id,
        ar,
        manader
    from personrader
    union all
    select
        2 as dimension,
        case when grupper & 8 <> 0 then '29' when grupper & 16 <> 0 then '30_49' else '50' end as grupp,
        person_id,
        ar,
        manader
    from personrader
),
tva_ar as (
    -- The year before in bits 0–11, the year in bits 12–23 (month k at bit k−1 of its year).
    select dimension, grupp, person_id, ar, bit_or(bitar) as bitar
    from (
        select dimension, grupp, person_id, ar, manader::uinteger << 12 as bitar from grupperade
        union all
        select dimension, grupp, person_id, ar + 1 as ar, manader::uinteger as bitar
        from grupperade
        where ar < year($till::date)
    )
    group by all
),
personer as (
    select m.manad, t.dimension, t.grupp, count(*) as personer
    from manader as m
    join tva_ar as t on t.ar = year(m.manad)
    where (t.bitar >> month(m.manad)) & 4095 <> 0
    group by all
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
