"""Configuration: config.toml overridden by THIDUA_* environment variables, validated by pydantic."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import datetime, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.clock import Clock, SimulatedClock, SystemClock


class ConfigError(Exception):
    """The configuration cannot be used; `problems` holds one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(_Section):
    """One level of the organisation tree, e.g. Xã/Phường."""

    id: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    label: str = Field(min_length=1)
    # Project addition: how the Front's body at this level is named in greetings.
    body: str | None = None


DEFAULT_LEVELS = [
    Level(id="tinh", label="Tỉnh/Thành phố"),
    Level(id="xa", label="Xã/Phường"),
    Level(id="khu_dan_cu", label="Khu dân cư"),
]


class DatabaseConfig(_Section):
    """Where the SQLite database lives."""

    path: str = "thidua.sqlite3"


class OrgConfig(_Section):
    """The levels of the organisation tree, from the top down."""

    levels: list[Level] = Field(default_factory=lambda: list(DEFAULT_LEVELS), min_length=1)

    @field_validator("levels")
    @classmethod
    def _unique_ids(cls, levels: list[Level]) -> list[Level]:
        seen: set[str] = set()
        for level in levels:
            if level.id in seen:
                raise ValueError(f"level id {level.id!r} appears twice")
            seen.add(level.id)
        return levels

    def level_ids(self) -> list[str]:
        """Return the level ids from the top down."""
        return [level.id for level in self.levels]

    def label(self, level_id: str) -> str:
        """Return the human label of a level id (the id itself if unknown)."""
        return next((lv.label for lv in self.levels if lv.id == level_id), level_id)

    def body(self, level_id: str) -> str:
        """Return the name of the Front's body at a level, for greetings."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                if level.body:
                    return level.body
                last = index == len(self.levels) - 1
                return "Ban công tác Mặt trận" if last else "Ủy ban MTTQ Việt Nam"
        return "Ban công tác Mặt trận"


class TelegramConfig(_Section):
    """The Telegram channel."""

    enabled: bool = True
    token: SecretStr = SecretStr("")
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    # Project addition: the bot's @username for t.me links; empty = learned from getMe.
    username: str = ""


class ZaloConfig(_Section):
    """The Zalo channel."""

    enabled: bool = False
    token: SecretStr = SecretStr("")
    base_url: str = "https://bot-api.zaloplatforms.com/bot"
    mode: Literal["polling", "webhook"] = "polling"


class WebConfig(_Section):
    """The bot's own web server: webhooks, signed download links, /healthz."""

    listen: str = "127.0.0.1:8080"
    public_url: str = ""
    secret: SecretStr = SecretStr("")

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be HOST:PORT, e.g. 127.0.0.1:8080")
        return value


_HHMM = r"([01]\d|2[0-3]):[0-5]\d"


class ScheduleConfig(_Section):
    """Time zone, quiet hours and the digest schedule."""

    timezone: str = "Asia/Ho_Chi_Minh"
    quiet_hours: str = "21:00-07:00"
    digest_cron: str = "30 7 * * mon-fri"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Ho_Chi_Minh") from None
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        if value and not re.fullmatch(f"{_HHMM}-{_HHMM}", value):
            raise ValueError("must be HH:MM-HH:MM, e.g. 21:00-07:00, or empty")
        return value

    @field_validator("digest_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a crontab expression ({exc}), e.g. 30 7 * * mon-fri") from None
        return value

    def zone(self) -> ZoneInfo:
        """Return the configured time zone."""
        return ZoneInfo(self.timezone)

    def quiet_window(self) -> tuple[time, time] | None:
        """Return (start, end) of the quiet hours, or None when there are none."""
        if not self.quiet_hours:
            return None
        start, end = self.quiet_hours.split("-")
        return time.fromisoformat(start), time.fromisoformat(end)


class OutboxConfig(_Section):
    """How fast proactive messages may go out."""

    telegram_per_second: float = Field(default=25, gt=0, le=30)
    zalo_per_second: float = Field(default=10, gt=0)


class ClockConfig(_Section):
    """The simulation clock (demos and black-box tests only)."""

    start: str = ""
    speed: float = Field(default=1.0, gt=0)

    @field_validator("start")
    @classmethod
    def _iso(cls, value: str) -> str:
        if value:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise ValueError("must be ISO-8601, e.g. 2023-11-20T07:59:00+07:00") from None
        return value


class Settings(BaseSettings):
    """The whole configuration."""

    model_config = SettingsConfigDict(
        env_prefix="THIDUA_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    org: OrgConfig = Field(default_factory=OrgConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    zalo: ZaloConfig = Field(default_factory=ZaloConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    outbox: OutboxConfig = Field(default_factory=OutboxConfig)
    clock: ClockConfig = Field(default_factory=ClockConfig)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first, then the file's values (passed in as init arguments)."""
        return (env_settings, init_settings)

    def secrets(self) -> list[str]:
        """Return every secret value, so logging can mask them."""
        values = [self.telegram.token, self.zalo.token, self.web.secret]
        return [v.get_secret_value() for v in values if v.get_secret_value()]

    def make_clock(self) -> Clock:
        """Build the clock the configuration asks for."""
        if not self.clock.start:
            return SystemClock()
        start = datetime.fromisoformat(self.clock.start)
        if start.tzinfo is None:
            start = start.replace(tzinfo=self.schedule.zone())
        return SimulatedClock(start, self.clock.speed)


def default_config_path() -> Path:
    """Return $THIDUA_CONFIG, else ./config.toml."""
    return Path(os.environ.get("THIDUA_CONFIG") or "config.toml")


def _format_error(where: str, error: Any) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (a typo?)"
    return f"{where}: {loc}: {message}"


def load_settings(path: Path | None = None, *, must_exist: bool = False) -> Settings:
    """Read and validate the configuration; raise ConfigError with one line per problem."""
    path = path or default_config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
        except OSError as exc:
            raise ConfigError([f"{path}: cannot read: {exc.strerror}"]) from None
    elif must_exist:
        raise ConfigError([f"{path}: no such file"])
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError([_format_error(str(path), err) for err in exc.errors()]) from None


def channel_problems(settings: Settings) -> list[str]:
    """Return what stops the enabled channels from running (missing tokens and the like)."""
    problems: list[str] = []
    if settings.telegram.enabled and not settings.telegram.token.get_secret_value():
        problems.append("telegram.token: empty; set THIDUA_TELEGRAM__TOKEN in the environment")
    if settings.zalo.enabled and not settings.zalo.token.get_secret_value():
        problems.append("zalo.token: empty; set THIDUA_ZALO__TOKEN in the environment")
    if settings.telegram.enabled and settings.telegram.mode == "webhook":
        problems.append("telegram.mode: webhook is not available yet; use polling")
    if settings.zalo.enabled and settings.zalo.mode == "webhook":
        problems.append("zalo.mode: webhook is not available yet; use polling")
    return problems
