"""The files that start the product elsewhere stay true to what runs here."""

import json
import os
import re
import secrets
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_docker_compose_is_valid_against_the_compose_specification():
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())

    jsonschema.validate(_compose(), schema)


def test_docker_compose_runs_every_process_of_the_product():
    services = _compose()["services"]

    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "mail", "proxy"}
    for name in ("web", "worker", "beat", "mail"):
        env = services[name]["environment"]
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert "SECRET_KEY" in env
        assert env["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
    assert "migrate_schemas" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "servicedesk", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "servicedesk", "beat"]
    assert services["mail"]["command"][:3] == ["python", "manage.py", "mail_receiver"]
    assert services["mail"]["image"] == services["web"]["image"]


def test_the_procfile_runs_web_worker_beat_and_the_mail_receiver():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert set(lines) == {"web", "worker", "beat", "mail"}
    assert "manage.py mail_receiver" in lines["mail"]
    assert "celery -A servicedesk worker" in lines["worker"]
    assert "celery -A servicedesk beat" in lines["beat"]


# Set by the test run itself (settings_test, the browser fixture), not by a deployment.
_TEST_ONLY_ENV = {"DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_SCHEME", "SECRET_KEY"}


def _clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in _TEST_ONLY_ENV}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**_clean_env(), "DJANGO_SETTINGS_MODULE": "servicedesk.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        BANK_TRANSFER_DETAILS="IBAN DE02 1203 0000 0000 2020 51",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_placeholder_bank_details():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY="k" * 60)

    assert result.returncode != 0
    assert "billing.E001" in result.stderr and "BANK_TRANSFER_DETAILS" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**_clean_env(), "DJANGO_SETTINGS_MODULE": "servicedesk.settings", "DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_a_bad_boolean_in_the_environment_stops_start_up_with_a_clear_message():
    result = _manage("check", DEBUG="maybe", SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_models_and_migrations_agree():
    result = _manage("makemigrations", "--check", "--dry-run", DEBUG="1")  # dev key

    assert result.returncode == 0, result.stdout + result.stderr


_REQUIRED = re.compile(r"\$\{(?P<name>[A-Z_]+):\?[^}]+\}")
_ANY_REFERENCE = re.compile(r"\$\{(?P<name>[A-Z_]+)(?P<rest>[^}]*)\}")


def test_docker_compose_refuses_to_start_without_its_secrets():
    text = (ROOT / "docker-compose.yml").read_text()
    services = _compose()["services"]

    # Every mention of a secret is "${NAME:?message}": compose stops with the message when
    # it is unset or empty, and there is no default to fall back on.
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD"):
        mentions = [m for m in _ANY_REFERENCE.finditer(text) if m["name"] == name]
        assert mentions, name
        assert all(m["rest"].startswith(":?") for m in mentions), name
    assert _REQUIRED.fullmatch(services["web"]["environment"]["SECRET_KEY"])
    assert _REQUIRED.fullmatch(services["postgres"]["environment"]["POSTGRES_PASSWORD"])
    database_url = services["web"]["environment"]["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in database_url
    assert "change-me" not in text and "servicedesk:servicedesk@" not in text


def test_docker_compose_makes_no_demo_and_no_published_password():
    services = _compose()["services"]
    commands = " ".join(
        " ".join(s["command"]) if isinstance(s.get("command"), list) else str(s.get("command"))
        for s in services.values()
    )

    assert "manage.py demo" not in commands
    assert "demo-pass" not in (ROOT / "docker-compose.yml").read_text()


def test_only_the_proxy_is_published_so_forwarded_addresses_can_be_trusted():
    services = _compose()["services"]

    published = {name for name, service in services.items() if service.get("ports")}
    # The SMTP receiver is published too: it speaks SMTP, and reads no forwarded address.
    assert published == {"proxy", "mail"}
    assert services["mail"]["ports"] == ["${SMTP_PORT:-2525}:2525"]
    nginx = _compose()["configs"]["nginx"]["content"]
    assert "proxy_set_header X-Forwarded-For $$proxy_add_x_forwarded_for;" in nginx
    assert "internal;" in nginx and "alias /data/media/systems/;" in nginx


def test_the_demo_refuses_to_run_in_production():
    result = _manage("demo", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64))

    assert result.returncode != 0
    assert "runs only in development" in result.stderr
