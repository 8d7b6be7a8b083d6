-- Respondents of the scope in every survey year <= $ar: per unit the largest antal_svar among its
-- questions, and likewise antal_inbjudna, summed over units.
with per_enhet as (
    select ar, forvaltning, avdelning, enhet,
           max(antal_svar) as svar,
           max(antal_inbjudna) as inbjudna
    from medarbetarenkat
    where ar <= $ar::integer
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by ar, forvaltning, avdelning, enhet
)
select ar, coalesce(sum(svar), 0) as antal_svar, sum(inbjudna) as antal_inbjudna
from per_enhet
group by ar
order by ar
