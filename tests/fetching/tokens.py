"""Tokens and JWK Sets for the fetcher's tests: ES256 keys, signed by the core's encoder."""

from __future__ import annotations

import json
from typing import Any

from inspector.core.signing import sign_token
from tests.core.keyfactory import ec_key, jwk_dict, private_pem

#: The clock the tokens are judged at (2025-06-15), inside their lifetime.
NOW = 1_750_000_000


def signed(
    iss: str | None,
    *,
    key_n: int = 0,
    kid: str | None = "k0",
    header: dict[str, Any] | None = None,
) -> str:
    """An ES256 token for ``iss`` signed with test key ``key_n`` and labelled ``kid``."""
    claims: dict[str, Any] = {
        "sub": "alice",
        "aud": "api://orders",
        "iat": NOW - 60,
        "exp": NOW + 600,
        "jti": "j-1",
    }
    if iss is not None:
        claims["iss"] = iss
    result = sign_token(
        json.dumps({"typ": "JWT", **(header or {})}),
        json.dumps(claims),
        private_pem(ec_key("ES256", key_n)),
        alg="ES256",
        kid=kid,
    )
    assert result.token is not None, result.problems
    return result.token


def jwks(*members: tuple[int, str], private: bool = False) -> dict[str, Any]:
    """A JWK Set of test keys ``(key_n, kid)``, public unless ``private``."""
    return {
        "keys": [
            jwk_dict(ec_key("ES256", n), private=private, kid=kid, use="sig", alg="ES256")
            for n, kid in members
        ]
    }


def discovery(issuer: str, jwks_uri: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "jwks_uri": jwks_uri,
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["ES256"],
    }
