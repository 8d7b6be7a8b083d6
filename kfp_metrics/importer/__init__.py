"""HR-system exports (CSV, Excel) to validated Parquet extracts: `importera-extrakt` (contract section 5)."""

from kfp_metrics.importer.cli import register
from kfp_metrics.importer.run import Options, Result, importera, show_columns

__all__ = ["Options", "Result", "importera", "register", "show_columns"]
