"""README.md stays true: every setting is documented, CI runs README's commands, every command exists."""

from __future__ import annotations

import re

from bot.cli import build_parser
from retrieval.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
CI = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def env_name(field: str) -> str:
    return "DISCORD_TOKEN" if field == "discord_token" else f"RESEARCH_BOT_{field.upper()}"


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [env_name(field) for field in Settings.model_fields if f"`{env_name(field)}`" not in README]
    assert missing == []


def test_ci_runs_the_readme_install_and_test_commands() -> None:
    block = re.search(r"## Install.*?```bash\n(.*?)```", README, re.S)
    assert block is not None
    install, test = block.group(1).strip().splitlines()
    for step in install.split(" && "):
        assert step in CI, step
    assert CI.rstrip().splitlines()[-1] == test


def test_every_documented_command_exists() -> None:
    documented = set(re.findall(r"`research-bot (\w+)", README))
    parser_commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert documented and documented <= parser_commands
