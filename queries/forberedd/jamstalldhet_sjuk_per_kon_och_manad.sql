-- Long sick leave per kön over the 12 months ending each month $fran..$till (contract 8): every
-- franvaro row counts, scoped and split by the anstallningar row of its own month, with the
-- distinct persons having scheduled hours in the window, which decides suppression.
-- Prepared store: the sums from the per-month, per-enhet sums, summed per month before the
-- windows; the persons from sjuk_personar, whose rows each carry one kön bit (1 K, 2 M; kön is K
-- or M by validation) and the months with scheduled hours as bits. A person counts for a month
-- exactly when one of its months of that kön lies in the 12 months ending it, that is when the
-- month is one of its months or one of the 11 after: each row's months are spread over those
-- (bits 0-11 its year, 12-22 the next), and one row per person, kön and year then tells in which
-- months of that year the person counts, so the count needs no distinct.
with manader as (
    select unnest(generate_series($fran::date, $till::date, interval 1 month))::date as manad
),
per_manad as (
    select
        period,
        kon_grupp,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from sjuk_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period, kon_grupp
),
summor as (
    select
        m.manad,
        case s.kon_grupp when 'kvinnor' then 'K' when 'man' then 'M' end as kon,
        sum(s.ordinarie_timmar) as ordinarie_timmar,
        sum(s.sjuk_lang_timmar) as sjuk_lang_timmar
    from manader as m
    join per_manad as s on s.period between (m.manad - interval 11 month)::date and m.manad
    group by m.manad, s.kon_grupp
),
rader as (
    select
        person_nr,
        case when grupper & 1 <> 0 then 'K' when grupper & 2 <> 0 then 'M' end as kon,
        ar,
        manader::integer as m
    from sjuk_personar
    where ar between year(($fran::date - interval 11 month)::date) and year($till::date)
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
spridda as (
    select
        person_nr,
        kon,
        ar,
        m | (m << 1) | (m << 2) | (m << 3) | (m << 4) | (m << 5) | (m << 6) | (m << 7) | (m << 8)
            | (m << 9) | (m << 10) | (m << 11) as s
    from rader
),
per_ar as (
    select person_nr, kon, ar, bit_or(s) as manader
    from (
        select person_nr, kon, ar, s & 4095 as s from spridda
        union all
        select person_nr, kon, ar + 1 as ar, s >> 12 as s from spridda
    )
    where ar between year($fran::date) and year($till::date)
    group by person_nr, kon, ar
),
personer as (
    select m.manad, p.kon, count(*) as personer
    from manader as m
    join per_ar as p on p.ar = year(m.manad) and p.manader & (1 << (month(m.manad) - 1)) <> 0
    group by m.manad, p.kon
)
select
    s.manad as period,
    s.kon,
    s.ordinarie_timmar,
    s.sjuk_lang_timmar,
    coalesce(p.personer, 0) as personer
from summor as s
left join personer as p on p.manad = s.manad and p.kon is not distinct from s.kon
order by period, s.kon
