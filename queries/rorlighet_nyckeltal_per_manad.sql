-- The figures of rorlighet_nyckeltal for every month M from $fran to $till present in
-- anstallningar: tillsvidare avgångar to another förvaltning or outside the kommun dated in
-- M−11 … M with the mean tillsvidare headcount over the month snapshots of that window present in
-- the extract (personalomsättning), and the events from 1 January of M's year to the end of M.
with alla_manader as (
    select distinct period
    from anstallningar
    where period between ($fran::date - interval 11 month)::date and $till::date
),
tillsvidare as (
    select period, count(*) as antal
    from anstallningar
    where period between ($fran::date - interval 11 month)::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
),
per_manad as (
    select m.period, coalesce(t.antal, 0) as antal_tillsvidare
    from alla_manader as m
    left join tillsvidare as t using (period)
),
manader as (
    select period from alla_manader where period >= $fran::date
),
medel as (
    select m.period, avg(p.antal_tillsvidare) as medel_tillsvidare, count(*) as manader_i_fonstret
    from manader as m
    join per_manad as p on p.period between (m.period - interval 11 month)::date and m.period
    group by m.period
),
handelser_i_scope as (
    select date_trunc('month', datum)::date as manad, handelse, anstallningsform, vag
    from handelser
    where datum >= least(($fran::date - interval 11 month)::date, make_date(year($fran::date), 1, 1))
      and datum < ($till::date + interval 1 month)::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
raknade as (
    select
        m.period,
        count(*) filter (
            where h.handelse = 'avgang' and h.anstallningsform = 'tillsvidare'
              and h.vag in ('annan_forvaltning', 'extern')
              and h.manad >= (m.period - interval 11 month)::date
        ) as avgangar_tillsvidare_12m,
        count(*) filter (
            where h.handelse = 'avgang' and h.anstallningsform = 'tillsvidare' and year(h.manad) = year(m.period)
        ) as avgangar_tillsvidare_hittills,
        count(*) filter (
            where h.handelse = 'rekrytering' and h.anstallningsform = 'tillsvidare' and year(h.manad) = year(m.period)
        ) as rekryteringar_tillsvidare_hittills,
        count(*) filter (
            where h.handelse = 'avgang' and h.anstallningsform = 'tidsbegransad' and year(h.manad) = year(m.period)
        ) as avgangar_tidsbegransade_hittills,
        count(*) filter (
            where h.handelse = 'rekrytering' and h.anstallningsform = 'tidsbegransad' and year(h.manad) = year(m.period)
        ) as rekryteringar_tidsbegransade_hittills
    from manader as m
    left join handelser_i_scope as h
        on h.manad between least((m.period - interval 11 month)::date, make_date(year(m.period), 1, 1)) and m.period
    group by m.period
)
select r.*, d.medel_tillsvidare, d.manader_i_fonstret
from raknade as r
join medel as d using (period)
order by r.period
