-- Respondents of the scope in survey year $ar: per unit the largest antal_svar among its
-- questions, and likewise antal_inbjudna, summed over units.
with per_enhet as (
    select forvaltning, avdelning, enhet,
           max(antal_svar) as svar,
           max(antal_inbjudna) as inbjudna
    from medarbetarenkat
    where ar = $ar::integer
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by forvaltning, avdelning, enhet
)
select coalesce(sum(svar), 0) as antal_svar, sum(inbjudna) as antal_inbjudna
from per_enhet
