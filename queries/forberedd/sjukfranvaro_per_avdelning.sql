-- Sick-leave sums per avdelning for the 12 months $fran..$till, with the distinct persons having
-- scheduled hours (suppression). A person who moved counts in each avdelning for its months.
-- Prepared store: the sums from the per-month, per-enhet sums (a sum of sums is the sum); the
-- persons from one row per person, year and enhet whose `manader` bits are the months with
-- scheduled hours, counted where one of them lies in the window (month m of year ar at bit m−1).
with summor as (
    select
        forvaltning, avdelning,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from sjuk_summor
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by forvaltning, avdelning
),
personer as (
    select forvaltning, avdelning, count(distinct person_id) as personer
    from sjuk_personar
    where ar between year($fran::date) and year($till::date)
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
      and manader & (
          (1 << (case when ar = year($till::date) then month($till::date) else 12 end))
          - (1 << (case when ar = year($fran::date) then month($fran::date) else 1 end - 1))
      ) <> 0
    group by forvaltning, avdelning
)
select
    s.forvaltning,
    s.avdelning,
    s.ordinarie_timmar,
    s.sjuk_timmar,
    s.sjuk_kort_timmar,
    s.sjuk_lang_timmar,
    coalesce(p.personer, 0) as personer
from summor as s
left join personer as p on p.forvaltning = s.forvaltning and p.avdelning = s.avdelning
order by forvaltning, avdelning
