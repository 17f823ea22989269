"""The CLI under attack-review inputs that are not in test_cli_hostile.py: ``main()`` called
in-process (its argv is any ``str``), where a lone surrogate that is no escape of a byte
raised UnicodeEncodeError out of the error message meant to refuse it."""

from __future__ import annotations

import pytest

from inspector.cli import main
from tests.core.tokens import clean_token


@pytest.mark.parametrize("command", ["inspect", "encode"])
@pytest.mark.parametrize("encoding", ["utf-8", "hex"])
def test_a_lone_surrogate_secret_given_to_main_is_a_usage_error(
    command: str, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tail = [clean_token()] if command == "inspect" else ['{"sub":"x"}']
    rc = main([command, "--secret", "\ud800", "--secret-encoding", encoding, *tail])
    assert rc == 2
    err = capsys.readouterr().err
    assert "--secret is not UTF-8 text" in err
    assert "Traceback" not in err
