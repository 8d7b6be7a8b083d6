-- Each question's index per enhet in the scope's latest survey year <= $ar, with the enhet's
-- respondents and invited (the largest counts among its questions).
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
    select forvaltning, avdelning, enhet, max(antal_svar) as svarande, max(antal_inbjudna) as inbjudna
    from senaste
    group by forvaltning, avdelning, enhet
),
per_fraga as (
    select
        ar,
        forvaltning,
        avdelning,
        enhet,
        fraga_id,
        any_value(fraga) as fraga,
        any_value(delindex) as delindex,
        sum(index * antal_svar) / nullif(sum(antal_svar), 0) as index,
        sum(antal_svar) as antal_svar
    from senaste
    group by ar, forvaltning, avdelning, enhet, fraga_id
)
select q.*, e.svarande, e.inbjudna
from per_fraga as q
join per_enhet as e using (forvaltning, avdelning, enhet)
order by q.fraga_id, q.forvaltning, q.avdelning, q.enhet
