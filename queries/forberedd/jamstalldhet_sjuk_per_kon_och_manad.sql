-- Long sick leave per kön over the 12 months ending each month $fran..$till (contract 8): every
-- franvaro row counts, scoped and split by the anstallningar row of its own month, with the
-- distinct persons having scheduled hours in the window, which decides suppression.
-- Prepared store: the sums from the per-month, per-enhet sums; the persons from sjuk_personar,
-- whose rows each carry one kön bit (1 K, 2 M; kön is K or M by validation) and the months with
-- scheduled hours as bits, as one mask per person, kön and year holding that year and the one
-- before (as in sjukfranvaro_per_manad): a person counts for a month exactly when its mask of the
-- month's year meets the window's bits.
with manader as (
    select unnest(generate_series($fran::date, $till::date, interval 1 month))::date as manad
),
summor as (
    select
        m.manad,
        case s.kon_grupp when 'kvinnor' then 'K' when 'man' then 'M' end as kon,
        sum(s.ordinarie_timmar) as ordinarie_timmar,
        sum(s.sjuk_lang_timmar) as sjuk_lang_timmar
    from manader as m
    join sjuk_summor as s on s.period between (m.manad - interval 11 month)::date and m.manad
    where s.period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(s.forvaltning, s.avdelning, s.enhet, $forvaltningar, $avdelningar, $enheter)
    group by m.manad, s.kon_grupp
),
personrader as (
    select person_id, ar, case when grupper & 1 <> 0 then 'K' when grupper & 2 <> 0 then 'M' end as kon, manader
    from sjuk_personar
    where ar between year($fran::date) - 1 and year($till::date)
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
tva_ar as (
    -- The year before in bits 0–11, the year in bits 12–23 (month k at bit k−1 of its year).
    select kon, person_id, ar, bit_or(bitar) as bitar
    from (
        select kon, person_id, ar, manader::uinteger << 12 as bitar from personrader
        union all
        select kon, person_id, ar + 1 as ar, manader::uinteger as bitar from personrader where ar < year($till::date)
    )
    group by all
),
personer as (
    select m.manad, t.kon, count(*) as personer
    from manader as m
    join tva_ar as t on t.ar = year(m.manad)
    where (t.bitar >> month(m.manad)) & 4095 <> 0
    group by all
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
