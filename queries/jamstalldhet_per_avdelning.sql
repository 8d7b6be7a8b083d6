-- The jämställdhet figures' sums per avdelning and kön (contract 8): the månadsavlönade at
-- $period, long sick leave over the 12 months $fran..$till (persons with scheduled hours decide
-- suppression), and tillsvidare avgångar by the event's own avdelning and kön over the same
-- months with the mean tillsvidare headcount over the month snapshots present in the extract.
with enheter as (
    select distinct forvaltning, avdelning
    from anstallningar
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
),
kon as (
    select unnest(['K', 'M']) as kon
),
celler as (
    select e.forvaltning, e.avdelning, k.kon from enheter as e cross join kon as k
),
ogonblick as (
    select
        forvaltning,
        avdelning,
        kon,
        count(*) as manadsavlonade,
        count(*) filter (where anstallningsform = 'tillsvidare') as tillsvidare,
        coalesce(sum(sysselsattningsgrad), 0) as sysselsattningsgrad_summa,
        count(sysselsattningsgrad) as med_sysselsattningsgrad,
        count(*) filter (where chef) as chefer
    from anstallningar
    where period = $period::date
      and anstallningsform in ('tillsvidare', 'tidsbegransad')
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by forvaltning, avdelning, kon
),
sjuk as (
    select
        a.forvaltning,
        a.avdelning,
        a.kon,
        sum(f.ordinarie_timmar) as ordinarie_timmar,
        sum(f.sjuk_lang_timmar) as sjuk_lang_timmar,
        count(distinct f.person_id) filter (where f.ordinarie_timmar > 0) as personer
    from franvaro as f
    join anstallningar as a on a.period = f.period and a.person_id = f.person_id
    where f.period between $fran::date and $till::date
      and i_scope(a.forvaltning, a.avdelning, a.enhet, $forvaltningar, $avdelningar, $enheter)
    group by a.forvaltning, a.avdelning, a.kon
),
manader as (
    select count(distinct period) as antal
    from anstallningar
    where period between $fran::date and $till::date
),
tillsvidare as (
    select forvaltning, avdelning, kon, count(*) as personmanader
    from anstallningar
    where period between $fran::date and $till::date
      and anstallningsform = 'tillsvidare'
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by forvaltning, avdelning, kon
),
avgangar as (
    select forvaltning, avdelning, kon, count(*) as antal
    from handelser
    where handelse = 'avgang'
      and anstallningsform = 'tillsvidare'
      and vag in ('annan_forvaltning', 'extern')
      and datum between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by forvaltning, avdelning, kon
)
select
    c.forvaltning,
    c.avdelning,
    c.kon,
    coalesce(o.manadsavlonade, 0) as manadsavlonade,
    coalesce(o.tillsvidare, 0) as tillsvidare,
    coalesce(o.sysselsattningsgrad_summa, 0) as sysselsattningsgrad_summa,
    coalesce(o.med_sysselsattningsgrad, 0) as med_sysselsattningsgrad,
    coalesce(o.chefer, 0) as chefer,
    coalesce(s.ordinarie_timmar, 0) as ordinarie_timmar,
    coalesce(s.sjuk_lang_timmar, 0) as sjuk_lang_timmar,
    coalesce(s.personer, 0) as sjuk_personer,
    coalesce(v.antal, 0) as avgangar_12m,
    -- Mean over the months the extract has: a month without the avdelning's tillsvidare counts as 0.
    coalesce(t.personmanader, 0) / nullif(m.antal, 0) as medel_tillsvidare
from celler as c
cross join manader as m
left join ogonblick as o using (forvaltning, avdelning, kon)
left join sjuk as s using (forvaltning, avdelning, kon)
left join tillsvidare as t using (forvaltning, avdelning, kon)
left join avgangar as v using (forvaltning, avdelning, kon)
order by c.forvaltning, c.avdelning, c.kon
