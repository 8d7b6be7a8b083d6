-- Sick-leave sums for the 12 months $fran..$till per obligatory group (NT1–NT7), with the
-- number of distinct persons having scheduled hours, which decides suppression. Rows are first
-- summed per person and group so the distinct counts run over persons, not person-months.
with rader as (
    select
        f.person_id,
        f.ordinarie_timmar,
        f.sjuk_timmar,
        f.sjuk_kort_timmar,
        f.sjuk_lang_timmar,
        case a.kon when 'K' then 'kvinnor' when 'M' then 'man' end as kon_grupp,
        case
            when year(f.period) - a.fodelsear <= 29 then '29'
            when year(f.period) - a.fodelsear <= 49 then '30_49'
            else '50'
        end as aldersgrupp
    from franvaro as f
    join anstallningar as a on a.period = f.period and a.person_id = f.person_id
    where f.period between $fran::date and $till::date
      and a.period between $fran::date and $till::date
      and i_scope(a.forvaltning, a.avdelning, a.enhet, $forvaltningar, $avdelningar, $enheter)
),
per_person as (
    select
        person_id,
        kon_grupp,
        aldersgrupp,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from rader
    group by person_id, kon_grupp, aldersgrupp
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
    count(distinct person_id) filter (where ordinarie_timmar > 0) as personer
from per_person
group by grouping sets ((), (kon_grupp), (aldersgrupp))
