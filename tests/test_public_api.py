"""The public API is exactly what ``docextract.__all__`` says, sorted."""

from __future__ import annotations
import __future__

import types

import docextract


def test_all_is_sorted_and_unique() -> None:
    assert docextract.__all__ == sorted(docextract.__all__)
    assert len(set(docextract.__all__)) == len(docextract.__all__)


def test_all_equals_the_public_names() -> None:
    public = {
        name for name, value in vars(docextract).items()
        # Submodules appear as attributes once imported anywhere; they are not part of the API list.
        if not name.startswith("_") and not isinstance(value, (types.ModuleType, __future__._Feature))
    }
    assert public == set(docextract.__all__) - {"__version__"}
    for name in docextract.__all__:
        assert getattr(docextract, name) is not None


def test_public_callables_and_errors_are_documented() -> None:
    for name in docextract.__all__:
        obj = getattr(docextract, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
    assert issubclass(docextract.EngineCrashError, docextract.BackendError)
    assert issubclass(docextract.MissingFileError, docextract.InputError)
