-- Sick-leave sums per avdelning for the 12 months $fran..$till, with the distinct persons having
-- scheduled hours (suppression). A person who moved counts in each avdelning for its months.
-- Prepared store: the franvaro rows already carry their anstallningar row's organisation.
with rader as (
    select forvaltning, avdelning, person_nr, ordinarie_timmar, sjuk_timmar, sjuk_kort_timmar, sjuk_lang_timmar
    from personmanad
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    forvaltning,
    avdelning,
    sum(ordinarie_timmar) as ordinarie_timmar,
    sum(sjuk_timmar) as sjuk_timmar,
    sum(sjuk_kort_timmar) as sjuk_kort_timmar,
    sum(sjuk_lang_timmar) as sjuk_lang_timmar,
    count(distinct person_nr) filter (where ordinarie_timmar > 0) as personer
from rader
group by forvaltning, avdelning
order by forvaltning, avdelning
