-- Per befattning of the tillsvidare snapshot at $period: the headcount then, the mean tillsvidare
-- headcount over the month snapshots of $fran … $period present in the extract (a month without the
-- befattning counts as 0), and the tillsvidare avgångar to another förvaltning or outside the kommun,
-- for another reason than pension, by the event's own befattning and org columns, dated $fran … $slut.
-- Prepared store: count(*) for the distinct persons of one month: (period, person_id) is unique
-- in anstallningar (data contract), so a month's rows are persons, as personal_summor counts them.
with start as (
    select befattning, count(*) as antal_start
    from anstallningar
    where period = $period::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by befattning
),
manader as (
    select distinct period
    from anstallningar
    where period between $fran::date and $period::date
),
antal as (
    select period, befattning, count(*) as antal_tillsvidare
    from anstallningar
    where period between $fran::date and $period::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
      and befattning in (select befattning from start)
    group by period, befattning
),
medel as (
    select s.befattning, sum(coalesce(a.antal_tillsvidare, 0)) / count(*) as medel_tillsvidare
    from start as s
    cross join manader as m
    left join antal as a on a.period = m.period and a.befattning = s.befattning
    group by s.befattning
),
avgangar as (
    select befattning, count(*) as avgangar_12m
    from handelser
    where handelse = 'avgang'
      and anstallningsform = 'tillsvidare'
      and vag in ('annan_forvaltning', 'extern')
      and orsak is distinct from 'pension'
      and datum between $fran::date and $slut::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
      and befattning in (select befattning from start)
    group by befattning
)
select
    s.befattning,
    s.antal_start,
    coalesce(m.medel_tillsvidare, 0) as medel_tillsvidare,
    coalesce(a.avgangar_12m, 0) as avgangar_12m
from start as s
left join medel as m using (befattning)
left join avgangar as a using (befattning)
order by s.antal_start desc, s.befattning
