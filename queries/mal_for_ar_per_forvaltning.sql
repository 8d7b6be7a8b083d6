-- Targets of the latest target year <= $ar of each förvaltning listed, taken per förvaltning: for
-- each one the rows mal_for_ar gives for a scope of that förvaltning alone.
with kandidater as (
    select * from mal
    where ar <= $ar::integer and list_contains($forvaltningar::varchar[], forvaltning)
),
senaste as (
    select forvaltning, nyckeltal, max(ar) as ar from kandidater group by forvaltning, nyckeltal
)
select k.forvaltning, k.avdelning, k.nyckeltal, k.malvarde
from kandidater as k
join senaste as s on s.forvaltning = k.forvaltning and s.nyckeltal = k.nyckeltal and s.ar = k.ar
order by k.forvaltning, k.nyckeltal, k.avdelning
