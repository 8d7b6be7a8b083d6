-- Sick-leave sums for the 12 months $fran..$till per obligatory group (NT1–NT7), with the
-- number of distinct persons having scheduled hours, which decides suppression. Rows are first
-- summed per person and group so the distinct counts run over persons, not person-months.
-- Prepared store: the franvaro rows already carry kön, age group and organisation.
with per_person as (
    select
        person_nr,
        kon_grupp,
        aldersgrupp,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from personmanad
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by person_nr, kon_grupp, aldersgrupp
)
select
    case
        when grouping(kon_grupp) = 0 then kon_grupp
        when grouping(aldersgrupp) = 0 then aldersgrupp
        else 'total'
    end as grupp,
    coalesce(sum(ordinarie_timmar), 0) as ordinarie_timmar,
    coalesce(sum(sjuk_timmar), 0) as sjuk_timmar,
    coalesce(sum(sjuk_kort_timmar), 0) as sjuk_kort_timmar,
    coalesce(sum(sjuk_lang_timmar), 0) as sjuk_lang_timmar,
    count(distinct person_nr) filter (where ordinarie_timmar > 0) as personer
from per_person
group by grouping sets ((), (kon_grupp), (aldersgrupp))
