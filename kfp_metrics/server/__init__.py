"""Several app processes behind one address: `python -m kfp_metrics server --processer N`.

One Streamlit process runs every session's Python under one interpreter lock, so it uses one core
however many people are waiting. The server starts N processes of the same app on loopback ports
and a small proxy on the public address: each browser keeps to one process (a cookie names it;
Streamlit holds a session, its downloads and its caches in that process), new browsers go to the
process with the fewest open sessions. Caches are per process; the state store, the prepared
store and the access file are shared, as with several replicas (docs/drift.md).
"""
