-- Månadsavlönade per month $fran..$till and kön (contract 8): headcount, tillsvidare, summed
-- sysselsättningsgrad and managers. (period, person_id) is unique, so rows are persons.
select
    period,
    kon,
    count(*) as manadsavlonade,
    count(*) filter (where anstallningsform = 'tillsvidare') as tillsvidare,
    coalesce(sum(sysselsattningsgrad), 0) as sysselsattningsgrad_summa,
    count(sysselsattningsgrad) as med_sysselsattningsgrad,
    count(*) filter (where chef) as chefer
from anstallningar
where period between $fran::date and $till::date
  and anstallningsform in ('tillsvidare', 'tidsbegransad')
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by period, kon
order by period, kon
