-- Personalomsättning per befattning over the 12 months $fran … $till: tillsvidare avgångar to
-- another förvaltning or outside the kommun by the event's befattning, over the befattning's mean
-- tillsvidare headcount across the month snapshots present in the extract (0 where absent).
-- Prepared store: count(*) for the distinct persons of one month: (period, person_id) is unique
-- in anstallningar (data contract), so a month's rows are persons, as personal_summor counts them.
with manader as (
    select distinct period
    from anstallningar
    where period between $fran::date and $till::date
),
befattningar as (
    select distinct befattning
    from anstallningar
    where period between $fran::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
antal as (
    select period, befattning, count(*) as antal_tillsvidare
    from anstallningar
    where period between $fran::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period, befattning
),
medel as (
    select b.befattning, sum(coalesce(a.antal_tillsvidare, 0)) / count(*) as medel_tillsvidare
    from befattningar as b
    cross join manader as m
    left join antal as a on a.period = m.period and a.befattning = b.befattning
    group by b.befattning
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
