-- Plan activities in the scope. An activity without avdelning belongs to every avdelning of its
-- förvaltning; with an avdelning or enhet filter the organisation tree in anstallningar decides
-- which förvaltning and avdelning such a filter lies in.
-- Prepared store: the tree from org_enheter, the distinct units of anstallningar, instead of
-- every month's rows.
with organisation as (
    -- Only read when an avdelning or enhet filter needs the tree, and only the units the filters
    -- below can match: in a förvaltning of the scope, with an avdelning or enhet it names.
    select distinct forvaltning, avdelning, enhet
    from org_enheter
    where (len($avdelningar::varchar[]) > 0 or len($enheter::varchar[]) > 0)
      and i_lista(forvaltning, $forvaltningar)
      and (list_contains($avdelningar::varchar[], avdelning) or list_contains($enheter::varchar[], enhet))
)
select a.*
from aktiviteter as a
where i_lista(a.forvaltning, $forvaltningar)
  and (
      len($avdelningar::varchar[]) = 0
      or list_contains($avdelningar::varchar[], a.avdelning)
      or (
          a.avdelning is null
          and exists (
              select 1 from organisation as o
              where o.forvaltning = a.forvaltning and list_contains($avdelningar::varchar[], o.avdelning)
          )
      )
  )
  and (
      len($enheter::varchar[]) = 0
      or exists (
          select 1 from organisation as o
          where o.forvaltning = a.forvaltning
            and (a.avdelning is null or o.avdelning = a.avdelning)
            and list_contains($enheter::varchar[], o.enhet)
      )
  )
order by a.ubaria, a.maldatum, a.aktivitet_id
