"""Configuration: config.toml overridden by THIDUA_* environment variables, validated by pydantic."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from datetime import datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from bot.clock import Clock, SimulatedClock, SystemClock


class ConfigError(Exception):
    """The configuration cannot be used; `problems` holds one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Section(BaseModel):
    # No inf or nan: a rate or a clock speed of inf only crashes later, far from the config.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _printable(value: str) -> str:
    """Refuse spaces and control characters, which break the URLs this value goes into."""
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValueError("must not contain spaces or control characters")
    return value


def _http_url(value: str) -> str:
    """Accept an http(s) URL with a host and a port in 1..65535, as httpx will use it."""
    _printable(value)
    try:
        parts = urlsplit(value)
        port = parts.port  # raises for "99999", "80:80", "²"
        httpx.URL(value)
    except (ValueError, httpx.InvalidURL) as exc:
        raise ValueError(f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    if port is not None and not 0 < port < 65536:
        raise ValueError("the port must be between 1 and 65535")
    return value


def _http_url_or_empty(value: str) -> str:
    """Accept an empty value or an http(s) URL."""
    return _http_url(value) if value else value


def _no_spaces_secret(value: SecretStr) -> SecretStr:
    """Refuse a token with spaces or control characters (it is put into URLs)."""
    try:
        _printable(value.get_secret_value())
    except ValueError:
        # The message must not echo the secret.
        raise ValueError("must not contain spaces, line breaks or control characters") from None
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
OptionalHttpUrl = Annotated[str, AfterValidator(_http_url_or_empty)]
Token = Annotated[SecretStr, AfterValidator(_no_spaces_secret)]


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

    @field_validator("path")
    @classmethod
    def _file_name(cls, value: str) -> str:
        # sqlite3 opens "" as a throw-away temporary database and refuses NUL with ValueError.
        if not value.strip() or "\x00" in value:
            raise ValueError("must be a file path, e.g. thidua.sqlite3")
        return value


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
    token: Token = SecretStr("")
    base_url: HttpUrl = "https://api.telegram.org/bot"
    base_file_url: HttpUrl = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    # Project addition: the bot's @username for t.me links; empty = learned from getMe.
    username: str = ""


class ZaloConfig(_Section):
    """The Zalo channel."""

    enabled: bool = False
    token: Token = SecretStr("")
    base_url: HttpUrl = "https://bot-api.zaloplatforms.com/bot"
    mode: Literal["polling", "webhook"] = "polling"


class WebConfig(_Section):
    """The bot's own web server: webhooks, signed download links, /healthz."""

    listen: str = "127.0.0.1:8080"
    public_url: OptionalHttpUrl = ""
    secret: SecretStr = SecretStr("")

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        # isdigit() alone accepts "²" and "٨٠": only ASCII digits make a port.
        digits = port.isascii() and port.isdigit()
        if not sep or not host.strip() or not digits or not 0 < int(port) < 65536:
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
    # At most a year per ten seconds: a faster clock runs past year 9999 (and crashes) in days.
    speed: float = Field(default=1.0, gt=0, le=3_000_000)

    @field_validator("start")
    @classmethod
    def _iso(cls, value: str) -> str:
        if value:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                raise ValueError("must be ISO-8601, e.g. 2023-11-20T07:59:00+07:00") from None
            # Dates are computed from here on (deadlines, invite expiry): leave room to 9999.
            if not 1970 <= moment.year <= 9000:
                raise ValueError("the year must be between 1970 and 9000")
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


def _format_error(where: str, error: Any) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    vi = "giá trị không hợp lệ"
    if error["type"] == "extra_forbidden":
        vi, message = "khóa không hợp lệ (gõ nhầm?)", "unknown key (a typo?)"
    elif error["type"] == "missing":
        vi = "thiếu khóa bắt buộc"
    return f"{where}: {loc}: {vi} / {message}"


def _read_toml(path: Path) -> dict[str, Any] | None:
    """Parse the config file (None if there is none); ConfigError if unreadable or not TOML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: tệp không phải UTF-8 / the file is not UTF-8"]) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError([f"{path}: không đọc được / cannot read: {reason}"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: không phải TOML hợp lệ / not valid TOML: {exc}"]) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ConfigError(
            [
                f"{path}: không phải TOML hợp lệ: lồng nhau quá sâu / not valid TOML: nested too deeply"
            ]
        ) from None
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits (a denial-of-service guard).
        raise ConfigError(
            [
                f"{path}: không phải TOML hợp lệ: số quá dài / not valid TOML: a number is far too long"
            ]
        ) from None


def load_settings(path: Path | None = None, *, must_exist: bool = True) -> Settings:
    """Read and validate the configuration; raise ConfigError with one line per problem.

    A file named by `path` or by $THIDUA_CONFIG must exist (a typo there must not quietly run
    on defaults and a new database); only the implicit ./config.toml may be absent.
    """
    source = ""
    if path is None:
        named = os.environ.get("THIDUA_CONFIG")
        if named:
            path, source = Path(named), " (THIDUA_CONFIG)"
        else:
            path, must_exist = Path("config.toml"), False
    data = _read_toml(path)
    if data is None and must_exist:
        raise ConfigError(
            [f"{path}: không có tệp cấu hình này{source} / no such configuration file{source}"]
        )
    try:
        return Settings(**(data or {}))
    except ValidationError as exc:
        raise ConfigError([_format_error(str(path), err) for err in exc.errors()]) from None
    except SettingsError as exc:
        # A THIDUA_ variable for a table or list (e.g. THIDUA_ORG__LEVELS) that is not JSON.
        match = re.search(r'field "(\w+)"', str(exc))
        prefix = f"THIDUA_{match.group(1)}".upper() if match else "THIDUA_"
        names = sorted(key for key in os.environ if key.upper().startswith(prefix))
        name = ", ".join(names) or f"{prefix}*"
        raise ConfigError(
            [f"{name}: biến môi trường không hợp lệ (cần JSON) / {exc}; lists and tables need JSON"]
        ) from None


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
