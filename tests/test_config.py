"""Configuration: the example documents every key, env overrides the file, problems are lines."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, channel_problems, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_example_config_is_valid_and_documents_every_key() -> None:
    example = ROOT / "config.example.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    settings = load_settings(example, must_exist=True)
    for section, model in Settings.model_fields.items():
        assert section in data, f"[{section}] missing from config.example.toml"
        assert model.annotation is not None
        for key in model.annotation.model_fields:
            assert key in data[section], f"{section}.{key} missing from config.example.toml"
    assert settings.telegram.token.get_secret_value() == ""


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[telegram]\ntoken = "from-file"\n[database]\npath = "a.db"\n', "utf-8")
    monkeypatch.setenv("THIDUA_TELEGRAM__TOKEN", "123:from-env")
    monkeypatch.setenv("THIDUA_DATABASE__PATH", "b.db")
    settings = load_settings(path)
    assert settings.telegram.token.get_secret_value() == "123:from-env"
    assert settings.database.path == "b.db"
    assert settings.telegram.enabled is True  # untouched keys keep their file/default value


def test_bad_config_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[schedule]\ntimezone = "Mars/Base"\nquiet_hours = "9pm-7am"\ndigest_cron = "every day"\n'
        '[outbox]\ntelegram_per_second = 500\n[telegram]\ntokn = "typo"\n'
        '[web]\nlisten = "8080"\n[clock]\nstart = "yesterday"\n',
        "utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    problems = caught.value.problems
    joined = "\n".join(problems)
    for key in (
        "schedule.timezone",
        "schedule.quiet_hours",
        "schedule.digest_cron",
        "outbox.telegram_per_second",
        "telegram.tokn",
        "web.listen",
        "clock.start",
    ):
        assert key in joined
    assert len(problems) == 7
    assert all(line.startswith(str(path)) for line in problems)
    assert "Traceback" not in joined


def test_toml_syntax_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[telegram\nenabled = true\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert len(caught.value.problems) == 1
    assert "TOML" in caught.value.problems[0]


def test_missing_explicit_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "nope.toml", must_exist=True)


def test_enabled_channel_without_token_is_a_problem() -> None:
    settings = Settings(zalo={"enabled": True})
    problems = channel_problems(settings)
    assert any("THIDUA_TELEGRAM__TOKEN" in p for p in problems)
    assert any("THIDUA_ZALO__TOKEN" in p for p in problems)


def test_levels_must_be_unique() -> None:
    with pytest.raises(ValueError, match="twice"):
        Settings(org={"levels": [{"id": "xa", "label": "Xã"}, {"id": "xa", "label": "Phường"}]})


def test_a_config_named_anywhere_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("THIDUA_CONFIG", str(tmp_path / "cofnig.toml"))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "THIDUA_CONFIG" in caught.value.problems[0] and " / " in caught.value.problems[0]
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "nope.toml")  # a path given by the caller, too
    monkeypatch.delenv("THIDUA_CONFIG")
    assert load_settings().database.path == "thidua.sqlite3"  # ./config.toml may be absent


def test_every_problem_line_is_in_two_languages(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[zalo]\nbogus = 1\nbase_url = "https://zalo.example:99999/bot"\n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert len(caught.value.problems) == 2
    assert all(" / " in line for line in caught.value.problems)
