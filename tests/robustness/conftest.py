"""Robustness tests run the CLI in-process: give them a private cache, so that they neither read
nor fill ~/.cache (a warm user cache would hide a cold-path bug)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Point PAIBAN_CACHE_DIR at a fresh folder for the whole robustness session."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAIBAN_CACHE_DIR", str(tmp_path_factory.mktemp("paiban-cache")))
        mp.setenv("COLUMNS", "120")
        yield
