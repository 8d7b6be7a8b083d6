"""tables.chart shares one built figure between equal inputs and never between different ones: the
cache key is a digest of the inputs' pickled bytes (tables._input_key)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kfp_metrics.ui import tables


def _frame(value: float = 4.5, name: str = "Förskola norr") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "avdelning": pd.array([name, "Stab"], dtype="string[pyarrow]"),
            "period": [dt.date(2026, 10, 1)] * 2,
            "andel": [value, 3.0],
            "personer": pd.array([12, None], dtype="Int64"),
        }
    )


def test_equal_inputs_built_apart_get_one_key():
    one = tables._input_key("m", "figure_x", (_frame(), "Alla"), ())
    other = tables._input_key("m", "figure_x", (_frame(), "Alla"), ())
    assert one == other


def test_any_difference_in_the_inputs_gives_another_key():
    base = tables._input_key("m", "figure_x", (_frame(), "Alla"), (("strong", True),))
    changed = [
        ("m", "figure_x", (_frame(value=4.6), "Alla"), (("strong", True),)),  # one value
        ("m", "figure_x", (_frame(name="Förskola syd"), "Alla"), (("strong", True),)),  # one name
        ("m", "figure_x", (_frame().rename(columns={"andel": "varde"}), "Alla"), (("strong", True),)),
        ("m", "figure_x", (_frame().iloc[::-1], "Alla"), (("strong", True),)),  # row order
        ("m", "figure_x", (_frame(), "Avdelning Stab"), (("strong", True),)),  # the title's scope
        ("m", "figure_x", (_frame(), "Alla"), (("strong", False),)),  # a keyword
        ("m", "figure_y", (_frame(), "Alla"), (("strong", True),)),  # the builder
    ]
    keys = {tables._input_key(*inputs) for inputs in changed}
    assert base not in keys
    assert len(keys) == len(changed)


def test_a_missing_value_is_not_a_zero():
    with_none = _frame()
    with_zero = _frame()
    with_zero.loc[1, "personer"] = 0
    assert tables._input_key((with_none,)) != tables._input_key((with_zero,))
