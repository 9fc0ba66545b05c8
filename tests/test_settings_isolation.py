"""Tests never see the machine's settings: not its environment, not a `.env` where they run.

A developer with a real Slack token in `.env` and an OpenAI key in their shell must get
the same results as CI. The proof runs a small test session twice on such a machine:
with the suite's isolation it sees nothing; without it, it would have seen both.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INNER = '''
import os
import subprocess
import sys

from bot.settings import Settings, get_settings


def test_the_machine_settings_are_invisible():
    leaks = []
    if "OPENAI_API_KEY" in os.environ:
        leaks.append("environment:OPENAI_API_KEY")
    for how, settings in (("cached", get_settings()), ("built", Settings())):
        if settings.slack_bot_token is not None or settings.openai_model != "gpt-4o-mini":
            leaks.append(f"dotenv:{how}")
        if settings.llm_configured:
            leaks.append(f"key:{how}")
    # The CLI's subprocesses read settings where they start: they must see nothing either.
    code = "from bot.settings import get_settings as g; print(g().slack_bot_token)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    if out.strip() != "None":
        leaks.append("dotenv:subprocess")
    assert not leaks, "leaked: " + " ".join(leaks)
'''


def test_a_dotenv_and_an_openai_key_on_the_machine_change_nothing(pytester, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-developers-shell")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    (pytester.path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-bogus\nOPENAI_MODEL=bogus\n")
    isolated = pytester.mkdir("isolated")
    (isolated / "conftest.py").write_text(
        "from tests.conftest import _clean_cwd, _isolated_settings  # noqa: F401\n")
    (isolated / "test_isolated.py").write_text(INNER)
    bare = pytester.mkdir("bare")
    (bare / "test_bare.py").write_text(INNER)

    pytester.runpytest_subprocess("-p", "no:cacheprovider", "isolated") \
        .assert_outcomes(passed=1)
    # The same test without the suite's fixture: the machine's settings leak in.
    leaked = pytester.runpytest_subprocess("-p", "no:cacheprovider", "bare")
    leaked.assert_outcomes(failed=1)
    leaked.stdout.fnmatch_lines(["*leaked: environment:OPENAI_API_KEY dotenv:cached key:cached"
                                 " dotenv:built key:built dotenv:subprocess*"])


def test_settings_built_for_a_test_take_only_what_it_gives(monkeypatch, tmp_path):
    from tests.conftest import make_settings

    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-bogus\n")
    monkeypatch.chdir(tmp_path)
    settings = make_settings(hot_lead_channel="sales")
    assert settings.slack_bot_token is None and settings.hot_lead_channel == "sales"
