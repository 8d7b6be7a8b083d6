-- Tillsvidare at $period per befattning by the year they reach the pensionsålder $pensionsalder.
select
    befattning,
    fodelsear + $pensionsalder::integer as pensionsar,
    count(distinct person_id) as antal
from anstallningar
where period = $period::date
  and anstallningsform = 'tillsvidare'
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by all
order by befattning, pensionsar
