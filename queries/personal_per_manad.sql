-- Headcount per anställningsform and month from $fran to $till; a month present in the extract
-- but empty in the scope counts as 0, a month absent from the extract is not listed.
with manader as (
    select distinct period
    from anstallningar
    where period between $fran::date and $till::date
),
antal as (
    select
        period,
        count(distinct person_id) filter (where anstallningsform = 'tillsvidare') as tillsvidare,
        count(distinct person_id) filter (where anstallningsform = 'tidsbegransad') as tidsbegransade,
        count(distinct person_id) filter (where anstallningsform = 'timavlonad') as timavlonade
    from anstallningar
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
)
select
    m.period,
    coalesce(a.tillsvidare, 0) as tillsvidare,
    coalesce(a.tidsbegransade, 0) as tidsbegransade,
    coalesce(a.timavlonade, 0) as timavlonade
from manader as m
left join antal as a using (period)
order by m.period
