"""What the page benchmarks share: AppTest kept on app.py's navigation, and the server's own time.

install() returns a dict that holds, after every AppTest run, the script run's wall time ("wall"),
the script thread's CPU time ("cpu") and the whole process's ("process_cpu": with the threads a
page computes in, ui/samtidigt, and DuckDB's), taken inside Streamlit's script runner: from the start
to the end of the page's script (what a browser waits for), without the test tool's own work of
parsing the page's messages into its element tree. new_app() makes an AppTest that reuses the
first one's scan of installed component packages, which the server does once at start and the
test tool would otherwise repeat for every new AppTest (0,3–0,8 s each). Likewise all AppTests
share one ScriptCache, as all sessions of a server do: the server compiles app.py and each page
once, where every new AppTest would compile them again (20–40 ms per run here)."""

from __future__ import annotations

import time
from pathlib import Path

_FIRST: list = []


def install() -> dict[str, float]:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    # One ScriptCache for every AppTest, as the server's Runtime keeps one for every session.
    shared_cache = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared_cache

    # As tests/apptest_helpers.py: keep AppTest on st.navigation (app.py with its sidebar) on every
    # run, instead of running the page file alone after the first run.
    original = PagesManager.__init__

    def init(self, *a, **k):
        original(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init

    last_run: dict[str, float] = {}
    run_script = script_runner.ScriptRunner._run_script

    def timed_run(self, *a, **k):
        wall, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
        try:
            return run_script(self, *a, **k)
        finally:
            last_run["wall"] = time.perf_counter() - wall
            last_run["cpu"] = time.thread_time() - cpu
            last_run["process_cpu"] = time.process_time() - process

    script_runner.ScriptRunner._run_script = timed_run
    return last_run


def new_app(app: Path, timeout: float = 900):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(app), default_timeout=timeout)
    if _FIRST:
        at._bidi_component_manager = _FIRST[0]._bidi_component_manager
    else:
        _FIRST.append(at)
    return at
