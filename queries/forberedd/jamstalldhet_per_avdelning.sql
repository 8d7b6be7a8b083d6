-- The jämställdhet figures' sums per avdelning and kön (contract 8): the månadsavlönade at
-- $period, long sick leave over the 12 months $fran..$till (persons with scheduled hours decide
-- suppression), and tillsvidare avgångar by the event's own avdelning and kön over the same
-- months with the mean tillsvidare headcount over the month snapshots present in the extract.
-- Prepared store: the sick-leave sums from sjuk_summor, and the persons with scheduled hours in the
-- window from the month bits of sjuk_personar (a person counts when one of its months of the
-- avdelning and kön lies in the window).
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
sjuk_timmar as (
    select
        forvaltning,
        avdelning,
        case kon_grupp when 'kvinnor' then 'K' when 'man' then 'M' end as kon,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from sjuk_summor
    where period between $fran::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by forvaltning, avdelning, kon_grupp
),
sjuk_personer as (
    select
        forvaltning,
        avdelning,
        case when grupper & 1 <> 0 then 'K' when grupper & 2 <> 0 then 'M' end as kon,
        count(distinct person_id) as personer
    from sjuk_personar
    where ar between year($fran::date) and year($till::date)
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
      -- The window's months of year ar as bits (month k at bit k-1).
      and manader & (
          (1 << (case when ar = year($till::date) then month($till::date) else 12 end))
          - (1 << ((case when ar = year($fran::date) then month($fran::date) else 1 end) - 1))
      ) <> 0
    group by all
),
sjuk as (
    select t.forvaltning, t.avdelning, t.kon, t.ordinarie_timmar, t.sjuk_lang_timmar, p.personer
    from sjuk_timmar as t
    left join sjuk_personer as p
        on p.forvaltning is not distinct from t.forvaltning
        and p.avdelning is not distinct from t.avdelning
        and p.kon is not distinct from t.kon
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
