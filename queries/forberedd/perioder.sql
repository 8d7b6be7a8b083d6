-- The months present in anstallningar, oldest first.
-- Prepared store: from the month's row counts per enhet; every anstallningar row is counted in one
-- of them, so the months present are the same.
select distinct period from personal_summor order by period
