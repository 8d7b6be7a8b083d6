-- Headcount per anställningsform and month from $fran to $till; a month present in the extract
-- but empty in the scope counts as 0, a month absent from the extract is not listed.
-- Prepared store: from the month's row counts per enhet (one row per person and month, so rows
-- are persons); every anstallningar row is counted there, so the months are the same.
with manader as (
    select distinct period
    from personal_summor
    where period between $fran::date and $till::date
),
antal as (
    select
        period,
        sum(antal) filter (where anstallningsform = 'tillsvidare') as tillsvidare,
        sum(antal) filter (where anstallningsform = 'tidsbegransad') as tidsbegransade,
        sum(antal) filter (where anstallningsform = 'timavlonad') as timavlonade
    from personal_summor
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
)
select
    m.period,
    coalesce(a.tillsvidare, 0)::bigint as tillsvidare,
    coalesce(a.tidsbegransade, 0)::bigint as tidsbegransade,
    coalesce(a.timavlonade, 0)::bigint as timavlonade
from manader as m
left join antal as a using (period)
order by m.period
