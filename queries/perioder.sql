-- The months present in anstallningar, oldest first.
select distinct period from anstallningar order by period
