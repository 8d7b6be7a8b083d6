-- Tillsvidare headcount per month from $fran to $till; a month present in the extract but
-- empty in the scope counts as 0, a month absent from the extract is not listed.
-- Prepared store: from the month's row counts per enhet (every anstallningar row is counted in
-- exactly one, so the months present are the same).
with manader as (
    select distinct period
    from personal_summor
    where period between $fran::date and $till::date
),
antal as (
    select period, sum(antal)::bigint as antal_tillsvidare
    from personal_summor
    where period between $fran::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
)
select m.period, coalesce(a.antal_tillsvidare, 0) as antal_tillsvidare
from manader as m
left join antal as a using (period)
order by m.period
