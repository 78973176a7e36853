"""The tutorials in module docstrings run as written."""

import doctest

import pytest

from dashboard import bounded, errors, parse, words
from dashboard.check import report


@pytest.mark.parametrize("module", [bounded, errors, parse, words, report], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failed == 0
