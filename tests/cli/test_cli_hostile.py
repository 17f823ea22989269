"""The CLI never shows a traceback (issue 10, item 6): hostile bytes on standard input and in
arguments, text that cannot be encoded for the terminal, device files as keys, readers that
leave, Ctrl-C. Each case runs the real CLI in a subprocess, with bytes as bytes."""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, STRONG_SECRET, b64, clean_token, segment

NOW = ["--now", "1800000300"]
#: Locales: UTF-8; the C locale as Python runs it by default (coerced to UTF-8); and plain
#: ASCII output, with coercion and UTF-8 mode turned off.
UTF8 = {"LC_ALL": "C.UTF-8"}
C = {"LC_ALL": "C"}
ASCII = {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
LANG_C = {"LANG": "C", "LC_ALL": "", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
LOCALES = pytest.mark.parametrize(
    "env", [UTF8, C, ASCII, LANG_C], ids=["utf8", "C", "ascii", "LANG=C"]
)


def cli(
    *args: str | bytes, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONUTF8"))}
    full_env.pop("LANG", None)
    full_env.update(env or UTF8)
    argv = [os.fsencode(sys.executable), b"-m", b"inspector.cli"]
    argv += [a if isinstance(a, bytes) else os.fsencode(a) for a in args]
    return subprocess.run(
        argv,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=full_env,
        timeout=120,
        check=False,
    )


def no_traceback(r: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in r.stderr, r.stderr.decode("utf-8", "replace")
    assert b"Error:" not in r.stderr.replace(b"error:", b""), r.stderr


def hs256_bytes(secret: bytes) -> str:
    h, p = segment(CLEAN_HEADER), segment(CLEAN_CLAIMS)
    sig = hmac.new(secret, f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{b64(sig)}"


# ------------------------------------------------------------------ standard input


@LOCALES
def test_non_utf8_bytes_on_stdin_are_refused_with_the_byte(env):
    r = cli("inspect", *NOW, stdin=b"\xff\xfe" + clean_token().encode(), env=env)
    no_traceback(r)
    assert r.returncode == 2
    assert b"standard input is not UTF-8 text (byte 0xff at offset 0)" in r.stderr


def test_utf8_stdin_still_works_in_every_locale():
    for env in (UTF8, C, ASCII, LANG_C):
        r = cli("inspect", *NOW, stdin=("  " + clean_token() + "\n").encode(), env=env)
        no_traceback(r)
        assert r.returncode == 0, r.stderr


def test_encode_refuses_a_non_utf8_payload_on_stdin():
    r = cli("encode", "--secret", "x" * 32, stdin=b'{"a": "\xff"}')
    no_traceback(r)
    assert r.returncode == 2
    assert b"payload on standard input is not UTF-8 text (byte 0xff at offset 7)" in r.stderr


# ------------------------------------------------------------------ arguments


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["inspect", b"\xff" + clean_token().encode()], b"the token argument"),
        (["inspect", clean_token(), "--aud", b"api\xff"], b"--aud"),
        (["inspect", clean_token(), "--iss", b"\xc3("], b"--iss"),
        (["encode", b'{"a": "\xff"}', "--secret", "x" * 32], b"the payload argument"),
        (["encode", "{}", "--secret", "x" * 32, "--kid", b"k\xff"], b"--kid"),
        (["encode", "{}", "--secret", "x" * 32, "--header", b'{"x": "\xfe"}'], b"--header"),
        (["encode", "{}", "--secret", "x" * 32, "--alg", b"HS\xff"], b"--alg"),
        (["encode", "{}", "--secret", "x" * 32, "--exp", b"+1\xffh"], b"--exp"),
    ],
)
def test_non_utf8_arguments_are_refused_naming_the_argument(args, what):
    r = cli(*args, *(NOW if args[0] == "inspect" else []))
    no_traceback(r)
    assert r.returncode == 2
    assert what + b" is not UTF-8 text (byte 0x" in r.stderr


def test_a_non_utf8_secret_is_its_exact_bytes():
    """``--secret $'\\xff\\xfe...'`` is the secret those bytes are: a token signed with them
    verifies, one signed with anything else does not."""
    secret = b"\xff\xfe" + b"k" * 30
    r = cli("inspect", hs256_bytes(secret), *NOW, "--secret", secret)
    no_traceback(r)
    assert r.returncode == 0, r.stdout
    assert b"Signature verified" in r.stdout
    replaced = secret.decode("utf-8", "replace").encode("utf-8")
    r = cli("inspect", hs256_bytes(replaced), *NOW, "--secret", secret)
    no_traceback(r)
    assert r.returncode == 1
    assert b"Invalid signature" in r.stdout


def test_encode_signs_with_the_exact_bytes_of_a_non_utf8_secret():
    secret = b"\xff" * 32
    r = cli("encode", "{}", "--secret", secret)
    no_traceback(r)
    assert r.returncode == 0
    token = r.stdout.decode().strip()
    h, p, s = token.split(".")
    assert s == b64(hmac.new(secret, f"{h}.{p}".encode(), hashlib.sha256).digest())


def test_a_non_utf8_secret_cannot_claim_another_encoding():
    r = cli("inspect", clean_token(), *NOW, "--secret", b"\xff\xfe", "--secret-encoding", "hex")
    no_traceback(r)
    assert r.returncode == 2
    assert b"--secret is not UTF-8 text (byte 0xff at offset 0)" in r.stderr


# ------------------------------------------------------------------ output


@LOCALES
@pytest.mark.parametrize("json_out", [False, True], ids=["human", "json"])
def test_unencodable_output_is_escaped_not_a_crash(env, json_out):
    r = cli("inspect", _surrogate_token(), *NOW, *(["--json"] if json_out else []), env=env)
    no_traceback(r)
    assert r.returncode in (0, 1)
    assert b"\\ud800" in r.stdout  # the lone surrogate, written as an escape
    if env in (ASCII, LANG_C):
        assert r.stdout.isascii()
        assert b"Zo\\xeb" in r.stdout
    else:
        assert "Zoë".encode() in r.stdout


def _surrogate_token() -> str:
    """A token whose payload holds "Zoë" and a JSON-escaped lone surrogate, which Python
    decodes to a character no UTF-8 (and no ASCII) output can hold."""
    payload = b'{"sub":"user-4711","name":"Zo\xc3\xab \\ud800","exp":1800000900}'
    h = segment(CLEAN_HEADER)
    p = b64(payload)
    sig = hmac.new(STRONG_SECRET, f"{h}.{p}".encode(), hashlib.sha256)
    return f"{h}.{p}.{b64(sig.digest())}"


@pytest.mark.parametrize("env", [ASCII, LANG_C], ids=["ascii", "LANG=C"])
def test_the_findings_catalogue_prints_in_an_ascii_locale(env):
    r = cli("findings", env=env)
    no_traceback(r)
    assert r.returncode == 0
    assert b"RFC 7515 \\xa7" in r.stdout  # "§" escaped


def test_a_reader_that_leaves_early_gets_no_traceback():
    tokens = ("\n".join([clean_token()] * 300) + "\n").encode()
    argv = [sys.executable, "-m", "inspector.cli", "inspect", *NOW]
    with subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdin.write(tokens)
        proc.stdin.close()
        proc.stdout.read(100)
        proc.stdout.close()  # `| head -c 100`
        err = proc.stderr.read()
        proc.wait(timeout=120)
    assert b"Traceback" not in err, err.decode()
    assert proc.returncode == 0  # every token judged fine; the exit status stays the verdict


def test_ctrl_c_while_reading_stdin_exits_130_without_traceback():
    argv = [sys.executable, "-m", "inspector.cli", "inspect", *NOW]
    with subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        wchan = Path(f"/proc/{proc.pid}/wchan")
        if not wchan.exists():
            proc.kill()
            pytest.skip("no /proc/PID/wchan to see when the CLI waits for input")
        # Wait (without a time limit on the result) until the CLI blocks reading its input.
        for _ in range(6000):
            if "pipe" in wchan.read_text() or "wait_woken" in wchan.read_text():
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err, err.decode()
    assert proc.returncode == 130


# ------------------------------------------------------------------ files


def test_dev_zero_as_key_is_read_only_up_to_the_cap_then_refused():
    r = cli("inspect", clean_token(), *NOW, "--key", "/dev/zero")
    no_traceback(r)
    assert r.returncode == 2
    assert b"is not a regular file and gives more than 4,194,304 bytes" in r.stderr


def test_a_pipe_as_key_file_works_when_small(tmp_path):
    """``--key <(cat secret)``: a pipe holding a key is read like a file."""
    fifo = tmp_path / "key"
    os.mkfifo(fifo)
    argv = [sys.executable, "-m", "inspector.cli", "inspect", clean_token(), *NOW]
    with subprocess.Popen(
        [*argv, "--key", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        with open(fifo, "wb") as w:
            w.write(b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa")
        out, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err
    assert proc.returncode == 0, err
    assert b"Signature verified" in out


def test_a_key_file_over_the_cap_is_refused(tmp_path):
    big = tmp_path / "big.pem"
    big.write_bytes(b"A" * (4 * 1024 * 1024 + 1))
    r = cli("inspect", clean_token(), *NOW, "--key", str(big))
    no_traceback(r)
    assert r.returncode == 2
    assert b"is larger than 4,194,304 bytes" in r.stderr


@pytest.mark.parametrize("option", ["--key", "--wordlist"])
def test_a_directory_or_device_as_key_or_wordlist_is_refused(option, tmp_path):
    for path in (str(tmp_path), "/dev/null"):
        r = cli("inspect", clean_token(), *NOW, option, path)
        no_traceback(r)
        assert r.returncode == 2, (path, r.stderr)


def test_a_wordlist_with_invalid_utf8_is_searched_as_bytes(tmp_path):
    secret = b"\xff\xfeweak-but-not-builtin"
    words = tmp_path / "words.txt"
    words.write_bytes(b"\xc3(\n" + secret + b"\n\xff\n")
    r = cli("inspect", hs256_bytes(secret), *NOW, "--wordlist", str(words))
    no_traceback(r)
    assert r.returncode == 1
    assert b"weak-secret" in r.stdout
    assert secret.hex().encode() in r.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_key_file_is_refused(tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("secret")
    key.chmod(0)
    r = cli("inspect", clean_token(), *NOW, "--key", str(key))
    no_traceback(r)
    assert r.returncode == 2


def test_a_non_utf8_key_path_is_just_a_path(tmp_path):
    key = Path(os.fsdecode(bytes(tmp_path) + b"/k\xffey"))
    key.write_bytes(b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa")
    r = cli("inspect", clean_token(), *NOW, "--key", os.fsencode(key))
    no_traceback(r)
    assert r.returncode == 0
    missing = os.fsencode(tmp_path) + b"/no\xffne"
    r = cli("inspect", clean_token(), *NOW, "--key", missing)
    no_traceback(r)
    assert r.returncode == 2


@pytest.mark.parametrize("command", [["inspect", clean_token(), *NOW], ["findings"]])
def test_a_closed_stdout_is_a_message_not_a_traceback(command):
    """``jwt-inspector-cli ... >&-``: Python starts with ``sys.stdout`` None."""
    argv = [sys.executable, "-m", "inspector.cli", *command]
    r = subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=120,
        check=False,
    )
    no_traceback(r)
    assert r.returncode == 2
    assert b"cannot write the output: stdout is closed" in r.stderr


def test_a_closed_stderr_and_a_bad_option_exit_2_quietly():
    argv = [sys.executable, "-m", "inspector.cli", "inspect", clean_token(), "--leeway", "-1"]
    r = subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        preexec_fn=lambda: os.close(2),
        timeout=120,
        check=False,
    )
    assert r.returncode == 2
    assert r.stdout == b""


def test_the_unprotected_header_of_a_jws_json_is_shown_and_fails_the_exit_status():
    h, p, s = clean_token().split(".")
    doc = f'{{"payload":"{p}","protected":"{h}","header":{{"alg":"none"}},"signature":"{s}"}}'
    r = cli("inspect", *NOW, "--secret", STRONG_SECRET, stdin=doc.encode())
    no_traceback(r)
    assert r.returncode == 1
    assert b"Unprotected header (not covered by the signature; never used)" in r.stdout
    assert b'"alg": "none"' in r.stdout
    assert b"jws-json-header-duplicate" in r.stdout
    assert b"not valid as pasted" in r.stdout


@pytest.mark.parametrize("where", ["payload", "header"])
def test_encode_refuses_a_lone_surrogate_escape_in_the_json(where):
    """'{"a":"\\ud800"}' is valid UTF-8 and valid JSON, but its string has no UTF-8 form."""
    doc = b'{"a": "\\ud800"}'
    args = [doc, "--secret", "x" * 40] if where == "payload" else ["{}", "--header", doc]
    r = cli("encode", *args, *([] if where == "payload" else ["--secret", "x" * 40]))
    no_traceback(r)
    assert r.returncode == 2
    assert b"lone surrogate" in r.stderr
