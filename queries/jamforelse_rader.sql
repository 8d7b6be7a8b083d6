-- Every Kolada value up to and including year $ar, for the comparisons and the JSON.
select kpi, kommun_id, coalesce(kommun, kommun_id) as kommun, ar, kon, varde, hamtad
from jamforelse
where ar <= $ar::integer
order by kpi, kon, ar, kommun_id
