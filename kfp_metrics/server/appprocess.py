"""One app process: `python -m kfp_metrics.server.appprocess [streamlit run's arguments]`.

The same as `streamlit run app.py …`, with the pages' modules imported first (forvarmning), so
that the first visitor after a start does not wait for them."""

from __future__ import annotations

import sys

from kfp_metrics.server import forvarmning


def main(argv: list[str]) -> None:
    forvarmning.importera()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(forvarmning.ROOT / "app.py"), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
