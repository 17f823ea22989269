"""The token profiles the inspector knows, registered in the order they are shown (the first
match is ``to_dict()["profile"]``). Imported by :mod:`inspector.core.analysis`; a new profile
is a module plus a line here."""

from __future__ import annotations

from inspector.core import profiles
from inspector.core.dpop import DPOP_PROFILE
from inspector.core.oauth_profiles import (
    ACCESS_TOKEN,
    CLIENT_ASSERTION,
    GITHUB_ACTIONS,
    ID_TOKEN,
    KUBERNETES,
    LOGOUT_TOKEN,
)
from inspector.core.sdjwt_profiles import KB_JWT, SD_JWT, SD_JWT_VC

BUILTIN: tuple[profiles.RuleProfile, ...] = (
    DPOP_PROFILE,
    KB_JWT,
    SD_JWT_VC,
    SD_JWT,
    ACCESS_TOKEN,
    LOGOUT_TOKEN,
    KUBERNETES,
    GITHUB_ACTIONS,
    ID_TOKEN,
    CLIENT_ASSERTION,
)

for _profile in BUILTIN:
    profiles.register(_profile)
