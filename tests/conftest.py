"""Shared fixtures: where the evaluation corpus lives, and the scorer.

The corpus (``../shared/corpus``) is third-party data read in place, never
copied here. Tests that need it skip with a message when it is absent, and
fail instead under ``CI=true`` so a broken checkout cannot pass silently.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FORM4_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
SAMPLES = ROOT / "samples"


def _need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (CI=true requires the shared corpus)")
        pytest.skip(f"{path} not found: the shared corpus is not beside this checkout")
    return path


@pytest.fixture(scope="session")
def corpus() -> Path:
    return _need(CORPUS)


@pytest.fixture(scope="session")
def scorer():
    """The project's scoring module (../shared/score.py), or the same scoring when absent."""
    path = _need(SHARED / "score.py")
    spec = importlib.util.spec_from_file_location("form4_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
