-- Targets of the latest target year <= $ar for the förvaltningar in scope; the caller picks
-- an avdelning's own target over its förvaltning's.
with kandidater as (
    select * from mal
    where ar <= $ar::integer and i_lista(forvaltning, $forvaltningar)
),
senaste as (
    select nyckeltal, max(ar) as ar from kandidater group by nyckeltal
)
select k.forvaltning, k.avdelning, k.nyckeltal, k.malvarde
from kandidater as k
join senaste as s on s.nyckeltal = k.nyckeltal and s.ar = k.ar
order by k.nyckeltal, k.forvaltning, k.avdelning
