-- The assessed levels of one competence area ($omrade) in the scope for every assessment year
-- <= $ar, per avdelning and enhet; a row without enhet assesses the avdelning as a whole.
select
    ar,
    forvaltning,
    avdelning,
    enhet,
    avg(behov) as behov,
    avg(nulage) as nulage,
    avg(behov - nulage) as gap,
    count(*) as bedomningar
from kompetensgap
where ar <= $ar::integer
  and omrade = $omrade
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
group by ar, forvaltning, avdelning, enhet
order by ar, forvaltning, avdelning, enhet nulls first
