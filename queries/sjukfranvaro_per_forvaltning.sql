-- Sick-leave sums per förvaltning for the 12 months $fran..$till, with the distinct persons having
-- scheduled hours (suppression): the level shown when a scope spans more avdelningar than a
-- chart can name (a whole city). A person who moved counts in each förvaltning for its months.
with rader as (
    select a.forvaltning, f.person_id, f.ordinarie_timmar, f.sjuk_timmar, f.sjuk_kort_timmar,
           f.sjuk_lang_timmar
    from franvaro as f
    join anstallningar as a on a.period = f.period and a.person_id = f.person_id
    where f.period between $fran::date and $till::date
      and i_scope(a.forvaltning, a.avdelning, a.enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    forvaltning,
    null::varchar as avdelning,
    sum(ordinarie_timmar) as ordinarie_timmar,
    sum(sjuk_timmar) as sjuk_timmar,
    sum(sjuk_kort_timmar) as sjuk_kort_timmar,
    sum(sjuk_lang_timmar) as sjuk_lang_timmar,
    count(distinct person_id) filter (where ordinarie_timmar > 0) as personer
from rader
group by forvaltning
order by forvaltning
