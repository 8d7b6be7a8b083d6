-- Personalomsättning (contract 2, Rörlighet) for every month M from $fran to $till: tillsvidare
-- avgångar to another förvaltning or outside the kommun dated in M−11 … M, and the mean
-- tillsvidare headcount over the month snapshots of M−11 … M present in the extract.
-- Prepared store: the headcounts from personal_summor, whose counts are rows of anstallningar,
-- that is persons ((period, person_id) is unique there), and whose months are anstallningar's.
with manader as (
    select distinct period
    from personal_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
),
antal as (
    select period, sum(antal)::bigint as antal_tillsvidare
    from personal_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
),
per_manad as (
    select m.period, coalesce(a.antal_tillsvidare, 0) as antal_tillsvidare
    from manader as m
    left join antal as a using (period)
),
avgangar as (
    select date_trunc('month', datum)::date as period, count(*) as antal
    from handelser
    where handelse = 'avgang'
      and anstallningsform = 'tillsvidare'
      and vag in ('annan_forvaltning', 'extern')
      and datum >= ($fran::date - interval 11 month)::date
      and datum < ($till::date + interval 1 month)::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by 1
),
visade as (
    select period from manader where period between $fran::date and $till::date
),
medel as (
    select v.period, avg(p.antal_tillsvidare) as medel_tillsvidare, count(*) as manader
    from visade as v
    join per_manad as p on p.period between (v.period - interval 11 month)::date and v.period
    group by v.period
),
summa as (
    select v.period, coalesce(sum(a.antal), 0)::integer as avgangar_12m
    from visade as v
    left join avgangar as a on a.period between (v.period - interval 11 month)::date and v.period
    group by v.period
)
select m.period, s.avgangar_12m, m.medel_tillsvidare, m.manader
from medel as m
join summa as s using (period)
order by m.period
