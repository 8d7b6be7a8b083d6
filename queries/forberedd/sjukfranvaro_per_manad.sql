-- For each month $fran..$till present in franvaro: the sick-leave sums over the 12 months ending
-- that month (a rolling NT1 window) and the distinct persons with scheduled hours in that window,
-- which decides suppression. Rows are scoped by the anstallningar row of their own month.
-- Prepared store, without repeating each row twelve times: the sums from the per-month, per-enhet
-- sums (a sum of sums is the sum), and each person's months with scheduled hours (the bits of its
-- sjuk_personar rows) become the months they count in — a month counts a person when one of the
-- person's months lies in its window, so a month p covers p … p+11, less what the person's
-- previous month already covers. The covered stretches are disjoint per person, so counting them
-- per month counts distinct persons exactly.
with manader as (
    select distinct period as manad
    from franvaro
    where period between $fran::date and $till::date
),
per_period as (
    select
        period,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from sjuk_summor
    where period between ($fran::date - interval 11 month)::date and $till::date
      and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    group by period
),
personmanader as (
    -- One row per person and month with scheduled hours (month m of year ar at bit m−1).
    select person_id, make_date(ar, m, 1) as period
    from (
        select ar, person_id, manader, unnest(range(1, 13)) as m
        from sjuk_personar
        where ar between year(($fran::date - interval 11 month)::date) and year($till::date)
          and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
    )
    where manader & (1 << (m - 1)) <> 0
      and make_date(ar, m, 1) between ($fran::date - interval 11 month)::date and $till::date
),
summor as (
    select
        m.manad,
        sum(p.ordinarie_timmar) as ordinarie_timmar,
        sum(p.sjuk_timmar) as sjuk_timmar,
        sum(p.sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(p.sjuk_lang_timmar) as sjuk_lang_timmar
    from manader as m
    join per_period as p on p.period between (m.manad - interval 11 month)::date and m.manad
    group by m.manad
),
tackning as (
    -- A duplicate (same person and month) covers nothing more: its stretch is empty.
    select
        greatest(
            period,
            coalesce((lag(period) over (partition by person_id order by period) + interval 12 month)::date, period)
        ) as fran_manad,
        (period + interval 11 month)::date as till_manad
    from personmanader
),
steg as (
    -- +1 where a stretch starts, −1 the month after it ends; the running sum counts persons.
    select manad, sum(steg) as steg
    from (
        select fran_manad as manad, 1 as steg from tackning where fran_manad <= till_manad
        union all
        select (till_manad + interval 1 month)::date, -1 from tackning where fran_manad <= till_manad
    )
    group by manad
),
lopande as (
    select manad, (sum(steg) over (order by manad))::bigint as personer
    from steg
),
personer as (
    select m.manad, l.personer
    from manader as m
    asof join lopande as l on m.manad >= l.manad
)
select
    m.manad as period,
    coalesce(s.ordinarie_timmar, 0) as ordinarie_timmar,
    coalesce(s.sjuk_timmar, 0) as sjuk_timmar,
    coalesce(s.sjuk_kort_timmar, 0) as sjuk_kort_timmar,
    coalesce(s.sjuk_lang_timmar, 0) as sjuk_lang_timmar,
    coalesce(p.personer, 0) as personer
from manader as m
left join summor as s using (manad)
left join personer as p using (manad)
order by m.manad
