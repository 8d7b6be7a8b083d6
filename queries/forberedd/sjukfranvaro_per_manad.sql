-- For each month $fran..$till present in franvaro: the sick-leave sums over the 12 months ending
-- that month (a rolling NT1 window) and the distinct persons with scheduled hours in that window,
-- which decides suppression. Rows are scoped by the anstallningar row of their own month.
-- Prepared store, without repeating each row twelve times: the sums from the per-month, per-enhet
-- sums (a sum of sums is the sum); the persons from the months with scheduled hours of each
-- person's sjuk_personar rows, as one mask per person and year holding that year and the one
-- before (the year before in bits 0–11, the year in bits 12–23, month k at bit k−1 of its year).
-- The window of the 12 months ending month m of a year is then bits m … m+11 of that year's mask,
-- and each person has one mask per year, so counting the masks that meet it counts distinct
-- persons exactly.
with manader as (
    select distinct period as manad
    from franvaro
    where period between $fran::date and $till::date
),
per_period as (
    select
        period,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from sjuk_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
),
summor as (
    select
        m.manad,
        sum(p.ordinarie_timmar) as ordinarie_timmar,
        sum(p.sjuk_timmar) as sjuk_timmar,
        sum(p.sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(p.sjuk_lang_timmar) as sjuk_lang_timmar
    from manader as m
    join per_period as p on p.period between (m.manad - interval 11 month)::date and m.manad
    group by m.manad
),
personrader as (
    select person_id, ar, manader
    from sjuk_personar
    where ar between year($fran::date) - 1 and year($till::date)
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
tva_ar as (
    select person_id, ar, bit_or(bitar) as bitar
    from (
        select person_id, ar, manader::uinteger << 12 as bitar from personrader
        union all
        select person_id, ar + 1 as ar, manader::uinteger as bitar from personrader where ar < year($till::date)
    )
    group by person_id, ar
),
personer as (
    select m.manad, count(*) as personer
    from manader as m
    join tva_ar as t on t.ar = year(m.manad)
    where (t.bitar >> month(m.manad)) & 4095 <> 0
    group by m.manad
)
select
    m.manad as period,
    coalesce(s.ordinarie_timmar, 0) as ordinarie_timmar,
    coalesce(s.sjuk_timmar, 0) as sjuk_timmar,
    coalesce(s.sjuk_kort_timmar, 0) as sjuk_kort_timmar,
    coalesce(s.sjuk_lang_timmar, 0) as sjuk_lang_timmar,
    coalesce(p.personer, 0) as personer
from manader as m
left join summor as s using (manad)
left join personer as p using (manad)
order by m.manad
