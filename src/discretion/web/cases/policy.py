"""Which policies the workbench screens against: the shipped ones, or DISCRETION_POLICY_DIR."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from discretion.policies import Catalogue, load_policies, shipped


def catalogue() -> Catalogue:
    directory = settings.POLICY_DIR
    return _load(str(directory)) if directory else shipped()


@cache
def _load(directory: str) -> Catalogue:
    return load_policies(Path(directory))
