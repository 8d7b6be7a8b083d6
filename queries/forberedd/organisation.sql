-- The organisation tree (förvaltning, avdelning, enhet) as it appears in anstallningar.
-- Prepared store: anstallningar's distinct units, kept once.
select forvaltning, avdelning, enhet
from org_enheter
where i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
order by forvaltning, avdelning, enhet
