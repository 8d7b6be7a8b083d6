-- Heltid among månadsavlönade per month from $fran to $till (Kolada N00206 on
-- sysselsattningsgrad, N00209 on faktisk_sysselsattningsgrad), in total and per kön; months
-- present in the extract but empty in the scope are listed with zeros.
-- Prepared store: from the month's row counts per enhet and their heltid/deltid conditions (one
-- row per person and month, so rows are persons), in one scan.
select
    period,
    coalesce(sum(antal) filter (where m), 0)::bigint as manadsavlonade,
    coalesce(sum(antal) filter (where m and heltid), 0)::bigint as heltid,
    coalesce(sum(antal) filter (where m and deltid), 0)::bigint as deltid,
    coalesce(sum(antal) filter (where m and kon = 'K'), 0)::bigint as kvinnor,
    coalesce(sum(antal) filter (where m and kon = 'K' and heltid), 0)::bigint as heltid_kvinnor,
    coalesce(sum(antal) filter (where m and kon = 'M'), 0)::bigint as man,
    coalesce(sum(antal) filter (where m and kon = 'M' and heltid), 0)::bigint as heltid_man,
    coalesce(sum(antal) filter (where m and med_faktisk), 0)::bigint as med_faktisk,
    coalesce(sum(antal) filter (where m and heltidsarbetande), 0)::bigint as heltidsarbetande
from (
    select
        *,
        anstallningsform in ('tillsvidare', 'tidsbegransad')
        and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter) as m
    from personal_summor
    where period between $fran::date and $till::date
)
group by period
order by period
