-- Event counts for personalomsättning (12 months $fran..$slut) and year to date ($arsstart..$slut).
select
    count(*) filter (
        where handelse = 'avgang' and anstallningsform = 'tillsvidare'
          and vag in ('annan_forvaltning', 'extern') and datum between $fran::date and $slut::date
    ) as avgangar_tillsvidare_12m,
    count(*) filter (
        where handelse = 'avgang' and anstallningsform = 'tillsvidare' and datum between $arsstart::date and $slut::date
    ) as avgangar_tillsvidare_hittills,
    count(*) filter (
        where handelse = 'rekrytering' and anstallningsform = 'tillsvidare' and datum between $arsstart::date and $slut::date
    ) as rekryteringar_tillsvidare_hittills,
    count(*) filter (
        where handelse = 'avgang' and anstallningsform = 'tidsbegransad' and datum between $arsstart::date and $slut::date
    ) as avgangar_tidsbegransade_hittills,
    count(*) filter (
        where handelse = 'rekrytering' and anstallningsform = 'tidsbegransad' and datum between $arsstart::date and $slut::date
    ) as rekryteringar_tidsbegransade_hittills
from handelser
where datum between least($fran::date, $arsstart::date) and $slut::date
  and i_scope(forvaltning, avdelning, enhet, $forvaltningar, $avdelningar, $enheter)
