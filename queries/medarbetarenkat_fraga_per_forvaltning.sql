-- Each question's respondent-weighted index per förvaltning in the scope's latest survey year <= $ar,
-- with the förvaltning's respondents and invited (per unit the largest count, summed over units):
-- the level shown when a scope spans more avdelningar than a grid can name (a whole city).
with i_scope as (
    select *
    from medarbetarenkat
    where ar <= $ar::integer
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
senaste as (
    select * from i_scope where ar = (select max(ar) from i_scope)
),
per_enhet as (
    select forvaltning, avdelning, enhet, max(antal_svar) as svar, max(antal_inbjudna) as inbjudna
    from senaste
    group by forvaltning, avdelning, enhet
),
per_forvaltning as (
    select forvaltning, sum(svar) as svarande, sum(inbjudna) as inbjudna
    from per_enhet
    group by forvaltning
),
per_fraga as (
    select
        ar,
        forvaltning,
        null::varchar as avdelning,
        fraga_id,
        any_value(fraga) as fraga,
        any_value(delindex) as delindex,
        sum(index * antal_svar) / nullif(sum(antal_svar), 0) as index,
        sum(antal_svar) as antal_svar
    from senaste
    group by ar, forvaltning, fraga_id
)
select q.*, a.svarande, a.inbjudna
from per_fraga as q
join per_forvaltning as a using (forvaltning)
order by q.fraga_id, q.forvaltning
