-- Personalomsättning per befattning over the 12 months $fran … $till: tillsvidare avgångar to
-- another förvaltning or outside the kommun by the event's befattning, over the befattning's mean
-- tillsvidare headcount across the month snapshots present in the extract (0 where absent).
-- Prepared store: the months from the month's row counts per enhet, and the headcounts in one scan
-- of the sorted anstallningar counting rows ((period, person_id) is unique, so rows are persons).
with manader as (
    select count(distinct period) as antal
    from personal_summor
    where period between $fran::date and $till::date
),
antal as (
    select befattning, count(*) as manadsrader
    from anstallningar
    where period between $fran::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by befattning
),
medel as (
    select a.befattning, a.manadsrader / m.antal as medel_tillsvidare
    from antal as a
    cross join manader as m
),
avgangar as (
    select befattning, count(*) as avgangar_12m
    from handelser
    where handelse = 'avgang'
      and anstallningsform = 'tillsvidare'
      and vag in ('annan_forvaltning', 'extern')
      and datum between $fran::date and $slut::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by befattning
)
select
    coalesce(m.befattning, a.befattning) as befattning,
    coalesce(a.avgangar_12m, 0) as avgangar_12m,
    coalesce(m.medel_tillsvidare, 0) as medel_tillsvidare
from medel as m
full join avgangar as a using (befattning)
order by befattning
