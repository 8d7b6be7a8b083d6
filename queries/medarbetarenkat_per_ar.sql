-- Each question's respondent-weighted index for the scope in every survey year <= $ar.
with i_scope as (
    select *
    from medarbetarenkat
    where ar <= $ar::integer
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
)
select
    ar,
    fraga_id,
    any_value(fraga) as fraga,
    any_value(delindex) as delindex,
    sum(index * antal_svar) / nullif(sum(antal_svar), 0) as index,
    sum(antal_svar) as antal_svar
from i_scope
group by ar, fraga_id
order by ar, fraga_id
