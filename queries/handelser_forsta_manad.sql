-- The month of the first event in handelser: rolling figures need twelve months of events behind them.
select date_trunc('month', min(datum))::date as forsta from handelser
