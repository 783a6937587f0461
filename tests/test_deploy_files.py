"""The deployment files: the Dockerfile's essentials, compose.yaml, and the two deploy guides.

No Docker engine runs here: the Dockerfile is read as text (and linted by hadolint when it is
on PATH). The guides are held to the code: the same sections in both languages and the same
code to copy, every THIDUA_ variable and configuration key they name exists, every TOML snippet
is a valid configuration, systemd units escape their %, and nginx never hands /metrics out.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
GUIDES = {"vi": ROOT / "docs/deploy.md", "en": ROOT / "docs/deploy.en.md"}
EXAMPLE = tomllib.loads((ROOT / "config.example.toml").read_text("utf-8"))
# THIDUA_ variables that are not configuration keys, with the module that reads each.
OTHER_VARIABLES = {"THIDUA_CONFIG": "bot/config.py", "THIDUA_DEBUG": "bot/cli.py"}
SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (KEYWORD, arguments): comments dropped, continued lines joined."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text("utf-8"))
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def arguments(keyword: str) -> list[str]:
    """The arguments of every `keyword` instruction, in order."""
    return [rest for key, rest in instructions() if key == keyword]


def image_env() -> dict[str, str]:
    """Every ENV the image sets (KEY=VALUE pairs)."""
    env: dict[str, str] = {}
    for rest in arguments("ENV"):
        for pair in shlex.split(rest):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def known_variable(name: str) -> bool:
    """Whether `name` is THIDUA_<SECTION>__<KEY> of a real setting, or read by the code."""
    if name in OTHER_VARIABLES:
        return name in (ROOT / OTHER_VARIABLES[name]).read_text("utf-8")
    section, sep, key = name.removeprefix("THIDUA_").lower().partition("__")
    model = Settings.model_fields.get(section)
    if not sep or model is None or model.annotation is None:
        return False
    return key in getattr(model.annotation, "model_fields", {})


def variables(text: str) -> set[str]:
    """The THIDUA_ variables a text names (not the THIDUA_<SECTION>__<KEY> pattern itself)."""
    return {name for name in re.findall(r"\bTHIDUA_[A-Z0-9_]+", text) if not name.endswith("_")}


def guide(language: str) -> str:
    """The text of one deploy guide."""
    return GUIDES[language].read_text("utf-8")


def fences(text: str, kind: str) -> list[str]:
    """The bodies of a text's code blocks of one kind (```toml, ```ini …)."""
    return [body for lang, body in FENCE.findall(text) if lang == kind]


def prose(text: str) -> str:
    """A text without its code blocks."""
    return FENCE.sub("", text)


# --------------------------------------------------------------------------- the Dockerfile


def test_the_image_runs_as_a_user_without_privileges() -> None:
    keys = [key for key, _ in instructions()]
    users = arguments("USER")
    assert users, "no USER: the bot would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
    last_user = len(keys) - 1 - keys[::-1].index("USER")
    assert "RUN" not in keys[last_user:], "a RUN after the last USER"
    assert "CMD" in keys[last_user:]


def test_it_installs_the_project_as_make_does() -> None:
    (base,) = arguments("FROM")
    assert re.fullmatch(r"python:3\.1[1-9]-slim", base)
    assert any(re.search(r"\bpip install\b.* \.$", rest) for rest in arguments("RUN"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    packages = {
        p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    copied = {source for rest in arguments("COPY") for source in rest.split()[:-1]}
    assert packages | {"pyproject.toml", pyproject["project"]["readme"]} <= copied
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for source in copied:
        assert (ROOT / source).exists(), source
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source


def test_the_database_lives_on_the_data_volume_and_the_web_app_is_reachable() -> None:
    env = image_env()
    assert any("/data" in re.findall(r"[\w/]+", rest) for rest in arguments("VOLUME"))
    assert env["THIDUA_DATABASE__PATH"].startswith("/data/")
    assert env["THIDUA_WEB__LISTEN"] == "0.0.0.0:8080"
    port = env["THIDUA_WEB__LISTEN"].rpartition(":")[2]
    assert port in arguments("EXPOSE")
    # The values are a valid configuration, and the example configuration ships at THIDUA_CONFIG.
    Settings(
        database={"path": env["THIDUA_DATABASE__PATH"]}, web={"listen": env["THIDUA_WEB__LISTEN"]}
    )
    assert f"config.example.toml {env['THIDUA_CONFIG']}" in arguments("COPY")


def test_the_health_check_asks_healthz_without_curl() -> None:
    (check,) = arguments("HEALTHCHECK")
    port = image_env()["THIDUA_WEB__LISTEN"].rpartition(":")[2]
    assert f"http://127.0.0.1:{port}/healthz" in check
    assert "urllib.request.urlopen" in check and "curl" not in check


def test_it_creates_or_migrates_the_database_then_runs() -> None:
    (command,) = arguments("CMD")
    assert re.search(r"thidua init && exec thidua run", command)


def test_no_secret_is_baked_into_the_image() -> None:
    for name in [*image_env(), *(rest.split("=")[0] for rest in arguments("ARG"))]:
        assert not any(word in name.upper() for word in SECRET_WORDS), name
    ignored = (ROOT / ".dockerignore").read_text("utf-8").split()
    assert {"config.toml", "*.env", "*.sqlite3", ".git", ".venv"} <= set(ignored)


def test_hadolint_has_nothing_to_say() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed")
    done = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_keeps_the_port_on_the_host_and_the_data_on_a_volume() -> None:
    text = (ROOT / "compose.yaml").read_text("utf-8")
    assert "\t" not in text
    assert {name for name in variables(text) if not known_variable(name)} == set()
    yaml = pytest.importorskip("yaml")
    service = yaml.safe_load(text)["services"]["thidua"]
    assert service["build"] == "."
    assert any(volume.endswith(":/data") for volume in service["volumes"])
    assert f"./config.toml:{image_env()['THIDUA_CONFIG']}:ro" in service["volumes"]
    assert service["env_file"] == "thidua.env"
    assert all(str(port).startswith("127.0.0.1:") for port in service["ports"])


# --------------------------------------------------------------------------- the guides


def test_both_guides_have_the_same_sections_and_the_same_code() -> None:
    headings = {
        language: re.findall(r"^(#+) (\d+\.)?", prose(guide(language)), re.M) for language in GUIDES
    }
    assert len(headings["vi"]) == len(headings["en"]) > 10
    assert headings["vi"] == headings["en"]
    # What is copied into files must not drift between the languages.
    for kind in ("toml", "ini", "nginx"):
        assert fences(guide("vi"), kind) == fences(guide("en"), kind), kind
        assert fences(guide("en"), kind), kind


@pytest.mark.parametrize("language", GUIDES)
def test_every_variable_a_guide_names_exists(language: str) -> None:
    named = variables(guide(language))
    assert {"THIDUA_TELEGRAM__TOKEN", "THIDUA_ZALO__TOKEN", "THIDUA_WEB__SECRET"} <= named
    assert {name for name in named if not known_variable(name)} == set()
    assert {
        name for name in variables(DOCKERFILE.read_text("utf-8")) if not known_variable(name)
    } == set()


@pytest.mark.parametrize("language", GUIDES)
def test_every_configuration_key_a_guide_names_exists(language: str) -> None:
    keys = re.findall(r"`\[(\w+)\](?:\.(\w+))?", prose(guide(language)))
    assert ("web", "public_url") in keys and ("telegram", "") in keys
    for section, key in keys:
        assert section in Settings.model_fields and section in EXAMPLE, section
        if key:
            assert key in EXAMPLE[section], f"[{section}].{key}"


@pytest.mark.parametrize("language", GUIDES)
def test_every_configuration_snippet_is_valid(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("THIDUA_")]:
        monkeypatch.delenv(name)
    for body in fences(guide(language), "toml"):
        Settings(**tomllib.loads(body))


def test_systemd_units_escape_their_percent_signs() -> None:
    units = [body for body in fences(guide("en"), "ini") if "[Service]" in body]
    assert len(units) == 2
    for body in units:
        for line in body.splitlines():
            # systemd expands %F and friends itself: a shell's % must be written %%.
            assert "%" not in line.replace("%%", ""), line


def test_nginx_passes_the_bot_s_paths_and_keeps_metrics_inside() -> None:
    (site,) = fences(guide("en"), "nginx")
    listen = EXAMPLE["web"]["listen"]
    blocks = dict(re.findall(r"location ([=\s\w/]+?) \{(.*?)\}", site, re.S))
    for path in ("/hook/", "/t/", "= /healthz"):
        assert f"proxy_pass http://{listen};" in blocks[path], path
    assert "deny all;" in blocks["/metrics"] and "proxy_pass" not in blocks["/metrics"]
    assert set(re.findall(r"proxy_pass (\S+);", site)) == {f"http://{listen}"}


def test_the_readme_links_both_guides() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "](docs/deploy.md)" in readme and "](docs/deploy.en.md)" in readme
