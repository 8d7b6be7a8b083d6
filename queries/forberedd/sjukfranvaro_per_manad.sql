-- For each month $fran..$till present in franvaro: the sick-leave sums over the 12 months ending
-- that month (a rolling NT1 window) and the distinct persons with scheduled hours in that window,
-- which decides suppression. Rows are scoped by the anstallningar row of their own month.
-- Prepared store: the sums from the per-month, per-enhet sums, summed per month before the
-- windows; the persons from the month bits of sjuk_personar as in
-- jamstalldhet_sjuk_per_kon_och_manad: each row's months spread over the 11 months after them,
-- one row per person and year telling in which months of that year the person counts.
with manader as (
    select distinct period as manad
    from franvaro
    where period between $fran::date and $till::date
),
per_manad as (
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
        coalesce(sum(s.ordinarie_timmar), 0) as ordinarie_timmar,
        coalesce(sum(s.sjuk_timmar), 0) as sjuk_timmar,
        coalesce(sum(s.sjuk_kort_timmar), 0) as sjuk_kort_timmar,
        coalesce(sum(s.sjuk_lang_timmar), 0) as sjuk_lang_timmar
    from manader as m
    left join per_manad as s on s.period between (m.manad - interval 11 month)::date and m.manad
    group by m.manad
),
spridda as (
    select
        person_nr,
        ar,
        m | (m << 1) | (m << 2) | (m << 3) | (m << 4) | (m << 5) | (m << 6) | (m << 7) | (m << 8)
            | (m << 9) | (m << 10) | (m << 11) as s
    from (
        select person_nr, ar, manader::integer as m
        from sjuk_personar
        where ar between year(($fran::date - interval 11 month)::date) and year($till::date)
          and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    )
),
per_ar as (
    select person_nr, ar, bit_or(s) as manader
    from (
        select person_nr, ar, s & 4095 as s from spridda
        union all
        select person_nr, ar + 1 as ar, s >> 12 as s from spridda
    )
    where ar between year($fran::date) and year($till::date)
    group by person_nr, ar
),
personer as (
    select m.manad, count(*) as personer
    from manader as m
    join per_ar as p on p.ar = year(m.manad) and p.manader & (1 << (month(m.manad) - 1)) <> 0
    group by m.manad
)
select
    s.manad as period,
    s.ordinarie_timmar,
    s.sjuk_timmar,
    s.sjuk_kort_timmar,
    s.sjuk_lang_timmar,
    coalesce(p.personer, 0) as personer
from summor as s
left join personer as p using (manad)
order by s.manad
