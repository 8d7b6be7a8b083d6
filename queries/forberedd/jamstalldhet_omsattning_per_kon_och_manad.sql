-- Personalomsättning per kön (contract 8) for every month M from $fran to $till: tillsvidare
-- avgångar to another förvaltning or outside the kommun dated in M−11 … M, by the event's kön,
-- and the mean tillsvidare headcount of that kön over the month snapshots of M−11 … M present
-- in the extract (a month present but empty in the scope counts as 0), as personalomsattning_pct.
-- Prepared store: the headcounts from personal_summor, whose counts are rows of anstallningar,
-- that is persons, and whose months are anstallningar's.
with manader as (
    select distinct period
    from personal_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
),
kon as (
    select unnest(['K', 'M']) as kon
),
antal as (
    select period, kon, sum(antal)::bigint as antal_tillsvidare
    from personal_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period, kon
),
per_manad as (
    select m.period, k.kon, coalesce(a.antal_tillsvidare, 0) as antal_tillsvidare
    from manader as m
    cross join kon as k
    left join antal as a on a.period = m.period and a.kon = k.kon
),
avgangar as (
    select date_trunc('month', datum)::date as period, kon, count(*) as antal
    from handelser
    where handelse = 'avgang'
      and anstallningsform = 'tillsvidare'
      and vag in ('annan_forvaltning', 'extern')
      and datum >= ($fran::date - interval 11 month)::date
      and datum < ($till::date + interval 1 month)::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by 1, 2
),
visade as (
    select unnest(generate_series($fran::date, $till::date, interval 1 month))::date as period
),
medel as (
    select v.period, p.kon, avg(p.antal_tillsvidare) as medel_tillsvidare
    from visade as v
    join per_manad as p on p.period between (v.period - interval 11 month)::date and v.period
    group by v.period, p.kon
),
summa as (
    select v.period, k.kon, coalesce(sum(a.antal), 0)::integer as avgangar_12m
    from visade as v
    cross join kon as k
    left join avgangar as a
        on a.kon = k.kon and a.period between (v.period - interval 11 month)::date and v.period
    group by v.period, k.kon
)
select s.period, s.kon, s.avgangar_12m, m.medel_tillsvidare
from summa as s
left join medel as m on m.period = s.period and m.kon = s.kon
order by s.period, s.kon
