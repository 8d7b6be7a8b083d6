-- Mean assessed levels and gap (behov − nulage) per avdelning and competence area in the
-- latest assessment year <= $ar within the scope; with $per_enhet also per enhet, where a row
-- without enhet stands for the avdelning as a whole (enhet null).
with i_scope as (
    select *
    from kompetensgap
    where ar <= $ar::integer
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
senaste as (
    select max(ar) as ar from i_scope
)
select
    g.ar,
    g.forvaltning,
    g.avdelning,
    case when $per_enhet::boolean then g.enhet end as enhet,
    g.kategori,
    g.omrade,
    avg(g.behov) as behov,
    avg(g.nulage) as nulage,
    avg(g.behov - g.nulage) as gap,
    count(*) as bedomningar
from i_scope as g
join senaste as s on g.ar = s.ar
group by all
order by g.kategori nulls last, g.omrade, g.forvaltning, g.avdelning, enhet nulls first
