-- Each question's respondent-weighted index for the scope in the latest survey year <= $ar.
with i_scope as (
    select *
    from medarbetarenkat
    where ar <= $ar::integer
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
senaste as (
    select max(ar) as ar from i_scope
)
select
    e.ar,
    e.fraga_id,
    any_value(e.fraga) as fraga,
    any_value(e.delindex) as delindex,
    sum(e.index * e.antal_svar) / nullif(sum(e.antal_svar), 0) as index,
    sum(e.antal_svar) as antal_svar
from i_scope as e
join senaste as s on e.ar = s.ar
group by e.ar, e.fraga_id
order by e.fraga_id
