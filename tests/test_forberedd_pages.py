"""Every page shows the same figures from the prepared store as from the Parquet."""

from __future__ import annotations

import json
import math

import pytest
import streamlit as st
from apptest_helpers import all_text, app_test, open_tables

from kfp_metrics import forberedd
from kfp_metrics.ui import data

PAGES = (
    "oversikt",
    "personal",
    "rorlighet",
    "sjukfranvaro",
    "heltid",
    "medarbetarenkat",
    "incidenter",
    "kompetensgap",
    "aktiviteter",
    "namndrapport",
)


def _numbers_and_texts(value, numbers, texts):
    if isinstance(value, dict):
        for item in value.values():
            _numbers_and_texts(item, numbers, texts)
    elif isinstance(value, list):
        for item in value:
            _numbers_and_texts(item, numbers, texts)
    elif isinstance(value, bool) or value is None:
        texts.append(repr(value))
    elif isinstance(value, int | float):
        numbers.append(float(value))
    else:
        texts.append(str(value))


def _figures(at) -> tuple[str, list[str], list[float], list[str]]:
    """What a reader sees: all texts, the tables' contents and every chart's data and labels."""
    tables = [df.value.to_csv() for df in open_tables(at).dataframe]
    numbers: list[float] = []
    texts: list[str] = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        _numbers_and_texts(spec.get("data", []), numbers, texts)
        _numbers_and_texts(spec.get("layout", {}).get("annotations", []), numbers, texts)
    return all_text(at), tables, numbers, texts


def _run(monkeypatch, data_dir, state_dir, page, query, prepared: bool):
    st.cache_data.clear()
    st.cache_resource.clear()
    data._PREPARED.clear()
    data._BUILDS.clear()
    if prepared:
        monkeypatch.delenv("KFP_FORBEREDD", raising=False)
    else:
        monkeypatch.setenv("KFP_FORBEREDD", "av")
    at = app_test(monkeypatch, data_dir, state_dir, query)
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [{}, {"forvaltning": "Förvaltning A", "avdelning": "Avdelning X"}])
def test_page_figures_same_from_store_and_parquet(fixture_dir, tmp_path, monkeypatch, page, query):
    plain = _run(monkeypatch, fixture_dir, tmp_path, page, query, prepared=False)
    assert forberedd.find(fixture_dir) is None  # the Parquet run neither built nor read a store
    fast = _run(monkeypatch, fixture_dir, tmp_path, page, query, prepared=True)
    assert forberedd.find(fixture_dir) is not None  # the first start built it
    text_a, tables_a, numbers_a, texts_a = _figures(plain)
    text_b, tables_b, numbers_b, texts_b = _figures(fast)
    assert text_a == text_b
    assert tables_a == tables_b
    assert texts_a == texts_b
    assert len(numbers_a) == len(numbers_b)
    assert all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(numbers_a, numbers_b, strict=True)
    )
    assert text_a.strip() != ""
