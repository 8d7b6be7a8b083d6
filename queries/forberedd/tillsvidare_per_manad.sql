-- Tillsvidare headcount per month from $fran to $till; a month present in the extract but
-- empty in the scope counts as 0, a month absent from the extract is not listed.
-- Prepared store: from the month's row counts per enhet, in one scan: every anstallningar row is
-- counted in one of them, so the months present are the same.
select
    period,
    coalesce(
        sum(antal) filter (
            where anstallningsform = 'tillsvidare'
              and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
        ),
        0
    )::bigint as antal_tillsvidare
from personal_summor
where period between $fran::date and $till::date
group by period
order by period
