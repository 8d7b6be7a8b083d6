-- Headcount per anställningsform and month from $fran to $till; a month present in the extract
-- but empty in the scope counts as 0, a month absent from the extract is not listed.
-- Prepared store: from the month's row counts per enhet (one row per person and month, so rows
-- are persons), in one scan; every anstallningar row is counted there, so the months are the same.
select
    period,
    coalesce(sum(antal) filter (where anstallningsform = 'tillsvidare' and i), 0)::bigint as tillsvidare,
    coalesce(sum(antal) filter (where anstallningsform = 'tidsbegransad' and i), 0)::bigint as tidsbegransade,
    coalesce(sum(antal) filter (where anstallningsform = 'timavlonad' and i), 0)::bigint as timavlonade
from (
    select
        *,
        i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter) as i
    from personal_summor
    where period between $fran::date and $till::date
)
group by period
order by period
