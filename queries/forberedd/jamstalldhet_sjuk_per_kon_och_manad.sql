-- Long sick leave per kön over the 12 months ending each month $fran..$till (contract 8): every
-- franvaro row counts, scoped and split by the anstallningar row of its own month, with the
-- distinct persons having scheduled hours in the window, which decides suppression.
-- Prepared store: the sums from the per-month, per-enhet sums; the persons from sjuk_personar,
-- whose rows each carry one kön bit (1 K, 2 M; kön is K or M by validation) and the months with
-- scheduled hours as bits, so a person counts for a month exactly when one of its months of that
-- kön lies in the window.
with manader as (
    select unnest(generate_series($fran::date, $till::date, interval 1 month))::date as manad
),
summor as (
    select
        m.manad,
        case s.kon_grupp when 'kvinnor' then 'K' when 'man' then 'M' end as kon,
        sum(s.ordinarie_timmar) as ordinarie_timmar,
        sum(s.sjuk_lang_timmar) as sjuk_lang_timmar
    from manader as m
    join sjuk_summor as s on s.period between (m.manad - interval 11 month)::date and m.manad
    where s.period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(s.forvaltning, s.avdelning, s.enhet, $forvaltningar, $avdelningar, $enheter)
    group by m.manad, s.kon_grupp
),
personer as (
    select
        m.manad,
        case when p.grupper & 1 <> 0 then 'K' when p.grupper & 2 <> 0 then 'M' end as kon,
        count(distinct p.person_id) as personer
    from manader as m
    join sjuk_personar as p
        on p.ar between year((m.manad - interval 11 month)::date) and year(m.manad)
    where p.ar between year(($fran::date - interval 11 month)::date) and year($till::date)
      and i_scope(p.forvaltning, p.avdelning, p.enhet, $forvaltningar, $avdelningar, $enheter)
      -- The window's months of year ar as bits (month k at bit k−1).
      and p.manader & (
          (1 << (case when p.ar = year(m.manad) then month(m.manad) else 12 end))
          - (1 << (
              case
                  when p.ar = year((m.manad - interval 11 month)::date)
                      then month((m.manad - interval 11 month)::date)
                  else 1
              end - 1
          ))
      ) <> 0
    group by all
)
select
    s.manad as period,
    s.kon,
    s.ordinarie_timmar,
    s.sjuk_lang_timmar,
    coalesce(p.personer, 0) as personer
from summor as s
left join personer as p on p.manad = s.manad and p.kon is not distinct from s.kon
order by period, s.kon
