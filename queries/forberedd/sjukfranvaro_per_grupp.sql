-- Sick-leave sums for the 12 months $fran..$till per obligatory group (NT1–NT7), with the
-- number of distinct persons having scheduled hours, which decides suppression.
-- Prepared store: the sums from the per-month, per-enhet sums (a sum of sums is the sum); the
-- persons from one row per person, year, enhet and group whose `manader` bits are the months with
-- scheduled hours, so a person counts in a group exactly when one of its months in the group lies
-- in the window (hours are never negative: a positive sum means a month with hours).
with summor as (
    select
        kon_grupp,
        aldersgrupp,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from sjuk_summor
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by kon_grupp, aldersgrupp
),
per_grupp as (
    select
        case
            when grouping(kon_grupp) = 0 then kon_grupp
            when grouping(aldersgrupp) = 0 then aldersgrupp
            else 'total'
        end as grupp,
        coalesce(sum(ordinarie_timmar), 0) as ordinarie_timmar,
        coalesce(sum(sjuk_timmar), 0) as sjuk_timmar,
        coalesce(sum(sjuk_kort_timmar), 0) as sjuk_kort_timmar,
        coalesce(sum(sjuk_lang_timmar), 0) as sjuk_lang_timmar
    from summor
    group by grouping sets ((), (kon_grupp), (aldersgrupp))
),
personer as (
    -- Per person the groups in which it had scheduled hours in the window: `grupper` bits of the
    -- rows whose months (bits of `manader`, month m at bit m−1) meet the window's months of
    -- year ar, from month(fran) in the first year to month(till) in the last.
    select person_id, bit_or(grupper) as grupper
    from sjuk_personar
    where ar between year($fran::date) and year($till::date)
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
      and manader & (
          (1 << (case when ar = year($till::date) then month($till::date) else 12 end))
          - (1 << (case when ar = year($fran::date) then month($fran::date) else 1 end - 1))
      ) <> 0
    group by person_id
),
antal as (
    select
        count(*) as total,
        count(*) filter (where grupper & 1 <> 0) as kvinnor,
        count(*) filter (where grupper & 2 <> 0) as man,
        count(*) filter (where grupper & 4 <> 0) as annat_kon,
        count(*) filter (where grupper & 8 <> 0) as alder_29,
        count(*) filter (where grupper & 16 <> 0) as alder_30_49,
        count(*) filter (where grupper & 32 <> 0) as alder_50
    from personer
)
select
    g.grupp,
    g.ordinarie_timmar,
    g.sjuk_timmar,
    g.sjuk_kort_timmar,
    g.sjuk_lang_timmar,
    case g.grupp
        when 'total' then a.total
        when 'kvinnor' then a.kvinnor
        when 'man' then a.man
        when '29' then a.alder_29
        when '30_49' then a.alder_30_49
        when '50' then a.alder_50
        else a.annat_kon  -- null: a kön other than K and M
    end as personer
from per_grupp as g, antal as a
