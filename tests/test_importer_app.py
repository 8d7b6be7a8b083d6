"""Where the extracts do not validate, the app's error page says how to import an HR export."""

from __future__ import annotations

from apptest_helpers import all_text, app_test


def test_error_page_explains_the_import(monkeypatch, tmp_path, state_dir):
    broken = tmp_path / "trasig"
    broken.mkdir()
    (broken / "anstallningar.parquet").write_bytes(b"inte parquet")
    at = app_test(monkeypatch, broken, state_dir)
    at.run()
    assert not at.exception
    text = all_text(at)
    assert "Extrakten kan inte läsas" in text
    assert "importera-extrakt EXPORTMAPP --visa-kolumner" in text
    assert "--mappning mappning.toml" in text
    assert "docs/import.md" in text
