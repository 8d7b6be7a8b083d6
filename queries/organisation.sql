-- The organisation tree (förvaltning, avdelning, enhet) as it appears in anstallningar.
select distinct forvaltning, avdelning, enhet
from anstallningar
where i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
order by forvaltning, avdelning, enhet
