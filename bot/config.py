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


def _problem(vi: str, en: str) -> ValueError:
    """A validation error already in both languages; `_format_error` prints it as it is."""
    return ValueError(f"{vi}{_BOTH}{en}")


# Marks a message written in both languages (a plain " / " can be part of a pydantic message).
_BOTH = " / "


def _printable(value: str) -> str:
    """Refuse spaces and control characters, which break the URLs this value goes into."""
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise _problem(
            "không được có dấu cách hay ký tự điều khiển",
            "must not contain spaces or control characters",
        )
    return value


def _http_url(value: str) -> str:
    """Accept an http(s) URL with a host and a port in 1..65535, as httpx will use it."""
    _printable(value)
    try:
        parts = urlsplit(value)
        port = parts.port  # raises for "99999", "80:80", "²"
        httpx.URL(value)
    except (ValueError, httpx.InvalidURL) as exc:
        raise _problem(
            "không phải địa chỉ URL hợp lệ, ví dụ https://api.telegram.org/bot",
            f"not a valid URL ({exc})",
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _problem(
            "phải là địa chỉ http:// hoặc https:// có tên máy, ví dụ https://api.telegram.org/bot",
            "must be an http:// or https:// URL with a host",
        )
    if port is not None and not 0 < port < 65536:
        raise _problem("cổng phải từ 1 đến 65535", "the port must be between 1 and 65535")
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
        raise _problem(
            "không được có dấu cách, xuống dòng hay ký tự điều khiển",
            "must not contain spaces, line breaks or control characters",
        ) from None
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
            raise _problem(
                "phải là đường dẫn tệp, ví dụ thidua.sqlite3",
                "must be a file path, e.g. thidua.sqlite3",
            )
        return value

    def location(self) -> str:
        """The database file's full path: a relative one depends on the folder a command runs in."""
        return os.path.abspath(self.path)


class OrgConfig(_Section):
    """The levels of the organisation tree, from the top down."""

    levels: list[Level] = Field(default_factory=lambda: list(DEFAULT_LEVELS), min_length=1)

    @field_validator("levels")
    @classmethod
    def _unique_ids(cls, levels: list[Level]) -> list[Level]:
        seen: set[str] = set()
        for level in levels:
            if level.id in seen:
                raise _problem(
                    f"mã cấp {level.id!r} xuất hiện hai lần", f"level id {level.id!r} appears twice"
                )
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


MIN_WEB_SECRET = 16  # characters: the webhooks' secrets and the links' keys derive from it


class WebConfig(_Section):
    """The bot's own web server: webhooks, signed download links, /healthz."""

    listen: str = "127.0.0.1:8080"
    public_url: OptionalHttpUrl = ""
    secret: SecretStr = SecretStr("")
    # Project additions: how long a download link works, and where the published files wait
    # ("" = "<database>.downloads" beside the database file).
    link_hours: int = Field(default=24, ge=1, le=720)
    downloads: str = ""

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        # isdigit() alone accepts "²" and "٨٠": only ASCII digits make a port.
        digits = port.isascii() and port.isdigit() and len(port) <= 5
        # Port 0 asks the system for any free port (tests; the log line names the one bound).
        if not sep or not host.strip() or not digits or not 0 <= int(port) < 65536:
            raise _problem(
                "phải có dạng MÁY:CỔNG, ví dụ 127.0.0.1:8080",
                "must be HOST:PORT, e.g. 127.0.0.1:8080",
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _no_query(cls, value: str) -> str:
        # Link paths are appended to it: a query or fragment would swallow them.
        if "?" in value or "#" in value:
            raise _problem(
                "không được có ? hay #, ví dụ https://thidua.example.vn",
                "must have no ? or #, e.g. https://thidua.example.vn",
            )
        return value

    @field_validator("downloads")
    @classmethod
    def _folder(cls, value: str) -> str:
        if "\x00" in value or (value and not value.strip()):
            raise _problem(
                'phải là đường dẫn thư mục, hoặc để trống ""',
                'must be a folder path, or empty ""',
            )
        return value

    def downloads_dir(self, database: DatabaseConfig) -> Path:
        """The folder of published files: `downloads`, else '<database>.downloads' beside it."""
        if self.downloads:
            return Path(self.downloads).absolute()
        location = Path(database.location())
        return location.with_name(location.name + ".downloads")


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
            raise _problem(
                f"không biết múi giờ {value!r}, ví dụ Asia/Ho_Chi_Minh",
                f"unknown time zone {value!r}, e.g. Asia/Ho_Chi_Minh",
            ) from None
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        if value and not re.fullmatch(f"{_HHMM}-{_HHMM}", value):
            raise _problem(
                'phải có dạng GG:PP-GG:PP, ví dụ 21:00-07:00, hoặc để trống ""',
                "must be HH:MM-HH:MM, e.g. 21:00-07:00, or empty",
            )
        return value

    @field_validator("digest_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise _problem(
                "không phải lịch dạng crontab, ví dụ 30 7 * * mon-fri (7 giờ 30, thứ Hai đến thứ Sáu)",
                f"not a crontab expression ({exc}), e.g. 30 7 * * mon-fri",
            ) from None
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
                raise _problem(
                    "phải là thời điểm ISO-8601, ví dụ 2023-11-20T07:59:00+07:00",
                    "must be ISO-8601, e.g. 2023-11-20T07:59:00+07:00",
                ) from None
            # Dates are computed from here on (deadlines, invite expiry): leave room to 9999.
            if not 1970 <= moment.year <= 9000:
                raise _problem(
                    "năm phải từ 1970 đến 9000", "the year must be between 1970 and 9000"
                )
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


# Pydantic's own checks, said in Vietnamese (the English is pydantic's message).
_VI_BY_TYPE = {
    "extra_forbidden": "khóa không hợp lệ (gõ nhầm?)",
    "missing": "thiếu khóa bắt buộc",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là một số",
    "float_type": "phải là một số",
    "finite_number": "phải là một số cụ thể (không phải inf, nan)",
    "string_type": 'phải là chữ trong dấu nháy, ví dụ "..."',
    "string_pattern_mismatch": "không đúng dạng cho phép",
    "string_too_short": "không được để trống",
    "list_type": "phải là một danh sách [...]",
    "too_short": "cần ít nhất một phần tử",
    "model_type": "phải là một bảng { ... }",
    "dict_type": "phải là một bảng { ... }",
    "model_attributes_type": "phải là một bảng { ... }",
}
_VI_BOUNDS = {
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "không được quá {le}",
    "literal_error": "phải là một trong: {expected}",
}


def _format_error(where: str, error: Any) -> str:
    """Return 'FILE: key: Vietnamese / English' for one pydantic error."""
    loc = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    kind = error["type"]
    if kind == "value_error" and _BOTH in message:
        return f"{where}: {loc}: {message}"  # our own validators speak both languages
    if kind == "extra_forbidden":
        message = "unknown key (a typo?)"
    vi = _VI_BY_TYPE.get(kind, "giá trị không hợp lệ")
    if kind in _VI_BOUNDS:
        # pydantic lists choices as "'polling' or 'webhook'".
        ctx = {
            key: int(value) if isinstance(value, float) and value.is_integer() else value
            for key, value in error.get("ctx", {}).items()
        }
        vi = _VI_BOUNDS[kind].format(**ctx).replace(" or ", " hoặc ")
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
        raise ConfigError(
            [f"{path}: không đọc được tệp cấu hình / cannot read: {reason}"]
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says where: "(at line 3, column 10)"; the line is what a person looks for.
        raise ConfigError(
            [f"{path}: không phải TOML hợp lệ{_where_vi(str(exc))} / not valid TOML: {exc}"]
        ) from None
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


def _where_vi(message: str) -> str:
    """' (dòng 3, cột 10)' from tomllib's '(at line 3, column 10)', else ''."""
    found = re.search(r"at line (\d+), column (\d+)", message)
    return f" (dòng {found[1]}, cột {found[2]})" if found else ""


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
    for name, config in (("telegram", settings.telegram), ("zalo", settings.zalo)):
        if not config.enabled:
            continue
        env = f"THIDUA_{name.upper()}__TOKEN"
        if not config.token.get_secret_value():
            problems.append(
                f"{name}.token: chưa có mã bot: đặt biến môi trường {env}, hoặc tắt kênh này"
                f" ({name}.enabled = false) / empty; set {env} in the environment, or disable"
                f" the channel ({name}.enabled = false)"
            )
        if config.mode == "webhook":
            problems.extend(_webhook_problems(name, settings.web))
    return problems


def _webhook_problems(name: str, web: WebConfig) -> list[str]:
    """What webhook mode needs of `[web]`: an address the platform can reach, and a secret."""
    problems: list[str] = []
    url = web.public_url
    local = url.startswith(("http://127.0.0.1", "http://localhost"))
    if not url.startswith("https://") and not local:
        problems.append(
            f"{name}.mode = webhook: cần web.public_url dạng https://… (máy chủ công khai, có"
            f" chứng chỉ) / needs web.public_url as https://… (a public server with a"
            " certificate)"
        )
    if len(web.secret.get_secret_value()) < MIN_WEB_SECRET:
        problems.append(
            f"{name}.mode = webhook: cần web.secret dài ít nhất {MIN_WEB_SECRET} ký tự, đặt"
            f" trong biến môi trường THIDUA_WEB__SECRET / needs web.secret of at least"
            f" {MIN_WEB_SECRET} characters, set in THIDUA_WEB__SECRET"
        )
    return problems
