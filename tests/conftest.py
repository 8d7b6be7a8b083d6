import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixture_data  # noqa: E402

# The longest modules, run first: scripts/test.sh runs the tests in several processes with a
# module's tests kept in one, each process taking the next module when it is done, so a long module
# left for last keeps one process busy minutes after the others have finished. Seconds of test time
# with two processes, 2026-12-03: 284, 229, 114, 81, 69, 60, 51; the rest 45 or less.
LONGEST_FIRST = (
    "test_forberedd.py",
    "test_browser.py",
    "test_server.py",
    "test_forberedd_pages.py",
    "test_manadsfonster.py",
    "test_browser_tillstand.py",
    "test_rapport_docx.py",
)


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    # sort is stable: within a module, and among the other modules, the order stays as collected.
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory) -> Path:
    """The hand-built extracts of fixture_data, written once per test session."""
    return fixture_data.write(tmp_path_factory.mktemp("extrakt"))


@pytest.fixture(scope="session")
def analys_dir(tmp_path_factory) -> Path:
    """fixture_data plus kompetensgap, personalprognos and aktiviteter with kompetensomrade
    (fixture_analys), written once per test session."""
    import fixture_analys

    return fixture_analys.write(tmp_path_factory.mktemp("analys"))


@pytest.fixture(scope="module")
def con(fixture_dir):
    """A DuckDB connection over fixture_dir's Parquet, one per test module (a module may define its own)."""
    from kfp_metrics.extracts import connect

    c = connect(fixture_dir)
    yield c
    c.close()


@pytest.fixture(autouse=True)
def _no_state_url_from_outside(monkeypatch):
    """Tests choose their state store themselves: a KFP_STATE_URL in the shell must not reach them."""
    monkeypatch.delenv("KFP_STATE_URL", raising=False)


@pytest.fixture()
def state_dir(tmp_path, monkeypatch) -> Path:
    """An empty state directory for the activity change log."""
    path = tmp_path / "state"
    path.mkdir()
    monkeypatch.setenv("KFP_STATE_DIR", str(path))
    return path


from tillstand_fixtures import miljo, pg_miljo, pg_server  # noqa: E402, F401 - the state store's fixtures
