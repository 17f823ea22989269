"""``jwt-inspector-cli inspect --discover / --jwks-url / --ca-file`` (issue 13 item 3), against
real servers on 127.0.0.1 started by the tests."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from inspector.cli import fetch_keys, main
from tests.fetching.servers import Reply, TLSFiles, make_tls, serve
from tests.fetching.test_fetching import no_leftovers  # noqa: F401 - applies here too
from tests.fetching.tokens import NOW, discovery, jwks, signed

AT = ["--now", str(NOW)]


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls(tmp_path_factory.mktemp("tls"))


def run(argv: list[str], monkeypatch, capsys, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["inspect", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def issuer_at(site, path: str = "/tenant", keys=None) -> str:  # type: ignore[no-untyped-def]
    issuer = site.url(path)
    site.routes[f"{path}/.well-known/openid-configuration"] = Reply.json(
        discovery(issuer, site.url(f"{path}/keys"))
    )
    site.routes[f"{path}/keys"] = Reply.json(keys or jwks((0, "k0"), (1, "k1")))
    return issuer


def test_discover_verifies_with_the_issuers_keys(monkeypatch, capsys) -> None:
    with serve() as site:
        issuer = issuer_at(site)
        code, out, err = run([signed(issuer), "--discover", "--json", *AT], monkeypatch, capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["verification"]["status"] == "valid"
    assert site.requests == ["/tenant/.well-known/openid-configuration", "/tenant/keys"]
    assert f"2 keys from {site.url('/tenant/keys')}" in err  # where the keys came from


def test_jwks_url_verifies(monkeypatch, capsys) -> None:
    with serve() as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        code, out, _ = run(
            [signed("https://idp.example/"), "--jwks-url", site.url("/keys"), "--json", *AT],
            monkeypatch,
            capsys,
        )
    assert code == 0
    assert json.loads(out)["verification"]["status"] == "valid"
    assert site.requests == ["/keys"]


def test_discover_over_https_with_ca_file(tls: TLSFiles, monkeypatch, capsys) -> None:
    with serve(tls) as site:
        issuer = issuer_at(site)
        token = signed(issuer)
        code, out, err = run(
            [token, "--discover", "--ca-file", str(tls.ca), "--json", *AT], monkeypatch, capsys
        )
        assert code == 0, err
        assert json.loads(out)["verification"]["status"] == "valid"
        code, out, err = run([token, "--discover", "--json", *AT], monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "TLS" in err


@pytest.mark.parametrize(
    ("route", "words"),
    [
        (Reply(404, b"no"), "HTTP 404"),
        (Reply(200, b"<html></html>", {"Content-Type": "text/html"}), "Not JSON"),
        (Reply.json({"kty": "EC"}), "Not a JWK Set"),
        (Reply.redirect("/keys"), "Redirect"),
    ],
)
def test_a_failed_fetch_exits_2_with_one_line(route, words, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    with serve() as site:
        site.routes["/keys"] = route
        code, out, err = run(
            [signed("https://idp.example/"), "--jwks-url", site.url("/keys")], monkeypatch, capsys
        )
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("jwt-inspector-cli inspect: error: cannot fetch keys")
    assert words in err


def test_nothing_is_fetched_without_the_options(monkeypatch, capsys) -> None:
    """A token whose iss, jku and x5u all point at a live server: nothing is requested."""
    with serve() as site:
        issuer = issuer_at(site)
        token = signed(issuer, header={"jku": site.url("/tenant/keys"), "x5u": site.url("/cert")})
        code, out, _ = run([token, "--json", *AT], monkeypatch, capsys)
    assert site.requests == []
    assert code == 1  # jku and x5u are high findings
    result = json.loads(out)
    assert result["verification"]["status"] == "unchecked"
    assert {"jku-header", "x5u-header"} <= {f["id"] for f in result["findings"]}


def test_discover_never_follows_the_tokens_jku_or_x5u(monkeypatch, capsys) -> None:
    with serve() as site, serve() as attacker:
        issuer = issuer_at(site)
        attacker.routes["/keys"] = Reply.json(jwks((5, "k0")))
        # Signed with the attacker's key, pointing at the attacker's set by jku/x5u/jwk.
        token = signed(
            issuer,
            key_n=5,
            header={"jku": attacker.url("/keys"), "x5u": attacker.url("/x5u")},
        )
        code, out, _ = run([token, "--discover", "--json", *AT], monkeypatch, capsys)
    assert attacker.requests == []
    assert json.loads(out)["verification"]["status"] == "invalid"
    assert code == 1


def test_issuer_mismatch_fails_the_run(monkeypatch, capsys) -> None:
    with serve() as site:
        issuer = site.url("/t")
        site.routes["/t/.well-known/openid-configuration"] = Reply.json(
            discovery("https://someone-else.example/", site.url("/keys"))
        )
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        code, out, _ = run([signed(issuer), "--discover", "--json", *AT], monkeypatch, capsys)
    assert code == 1
    result = json.loads(out)
    assert result["verification"]["status"] == "valid"
    assert "discovery-issuer-mismatch" in {f["id"] for f in result["findings"]}


def test_published_private_keys_fail_the_run(monkeypatch, capsys) -> None:
    with serve() as site:
        issuer = issuer_at(site, keys=jwks((0, "k0"), private=True))
        code, out, _ = run([signed(issuer), "--discover", "--json", *AT], monkeypatch, capsys)
    assert code == 1
    severities = {f["id"]: f["severity"] for f in json.loads(out)["findings"]}
    assert severities["published-private-keys"] == "critical"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_log_fetches_each_issuers_keys_once(jobs: str, monkeypatch, capsys) -> None:
    with serve() as site:
        a = issuer_at(site, "/a", keys=jwks((0, "k0")))
        b = issuer_at(site, "/b", keys=jwks((1, "k1")))
        lines = [
            signed(a, key_n=0, kid="k0"),
            signed(b, key_n=1, kid="k1"),
            signed(a, key_n=0, kid="k0"),
            signed(b, key_n=0, kid="k1"),  # claims b, signed with a's key: invalid
            signed(None, key_n=0, kid="k0"),  # names no issuer: no keys
        ] * 5
        code, out, err = run(
            ["-", "--discover", "--json", "--jobs", jobs, *AT],
            monkeypatch,
            capsys,
            "\n".join(lines) + "\n",
        )
    assert sorted(site.requests) == sorted(
        [
            "/a/.well-known/openid-configuration",
            "/a/keys",
            "/b/.well-known/openid-configuration",
            "/b/keys",
        ]
    )
    statuses = [json.loads(line)["verification"]["status"] for line in out.splitlines()]
    assert statuses == ["valid", "valid", "valid", "invalid", "unchecked"] * 5
    assert code == 1
    assert "5 inputs name no issuer" in err


def test_a_log_with_jwks_url_fetches_once(monkeypatch, capsys) -> None:
    with serve() as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        lines = [signed(f"https://idp{i}.example/") for i in range(30)]
        code, out, _ = run(
            ["-", "--jwks-url", site.url("/keys"), "--json", "--jobs", "2", *AT],
            monkeypatch,
            capsys,
            "\n".join(lines),
        )
    assert site.requests == ["/keys"]
    assert code == 0
    assert len(out.splitlines()) == 30


def test_too_many_issuers_fetch_nothing(monkeypatch, capsys) -> None:
    monkeypatch.setattr(fetch_keys, "MAX_DISCOVERED_ISSUERS", 2)
    with serve() as site:
        lines = [signed(issuer_at(site, f"/i{i}")) for i in range(3)]
        code, _, err = run(["-", "--discover", *AT], monkeypatch, capsys, "\n".join(lines))
    assert code == 2
    assert "3 issuers" in err
    assert site.requests == []


def test_a_refused_issuer_stops_before_any_request(monkeypatch, capsys) -> None:
    with serve() as site:
        good = issuer_at(site)
        lines = [signed(good), signed("http://intranet.example/")]
        code, _, err = run(["-", "--discover", *AT], monkeypatch, capsys, "\n".join(lines))
    assert code == 2
    assert "plain HTTP" in err
    assert site.requests == []


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--discover"], "no 'iss' claim"),
        (["--ca-file", "ca.pem"], "--ca-file is for --discover or --jwks-url"),
        (["--jwks-url", "https://idp.example/k", "--ca-file", "/nonexistent"], "cannot read CA"),
        (["--jwks-url", "ftp://idp.example/k"], "not an https:// URL"),
    ],
)
def test_usage_problems_exit_2(argv, words, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run([signed(None), *argv], monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert words in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("other", [["--key", "k.pem"], ["--secret", "s"], ["--jwks-url", "x"]])
def test_one_key_source_at_a_time(other: list[str], monkeypatch, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run([signed(None), "--discover", *other], monkeypatch, capsys)
    assert exit_.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_the_ca_file_is_only_read_not_written(tls: TLSFiles, monkeypatch, capsys) -> None:
    before = Path(tls.ca).read_bytes()
    with serve(tls) as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        code, _, _ = run(
            [
                signed("https://x.example/"),
                "--jwks-url",
                site.url("/keys"),
                "--ca-file",
                str(tls.ca),
                *AT,
            ],
            monkeypatch,
            capsys,
        )
    assert code == 0
    assert Path(tls.ca).read_bytes() == before
