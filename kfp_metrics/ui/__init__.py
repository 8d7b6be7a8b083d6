"""The Streamlit side of the dashboard: caching, global filters, cards and chart helpers."""
