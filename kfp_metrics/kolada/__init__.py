"""Kolada (RKA): public key figures of every municipality beside the organisation's own.

The room's parts: `kpi` (which Kolada KPI answers which metric id, contract section 6), `tolka`
(saved API v3 responses and CSV files → rows), `hamta` (fetching from the API), `tabell` (the
`jamforelse` Parquet table), `jamforelse` (reading the table for the JSON, the pages and the
report), `installningar` (which municipalities and groups to show) and `cli` (the command).
"""
