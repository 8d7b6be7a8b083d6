-- The optional grouping of befattningar into yrkeskategorier (no organisation columns).
select befattning, yrkeskategori
from yrkeskategorier
where befattning is not null and yrkeskategori is not null
order by befattning
