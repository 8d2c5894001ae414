"""Project-level checks: migrations complete, production settings pass `check --deploy`, site
configuration precedence and modes, and the suite refusing to run without its servers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env=None, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _site_env(tmp_path, name, **conf):
    (tmp_path / name).mkdir()
    (tmp_path / name / "site_config.json").write_text(json.dumps(conf))
    (tmp_path / "common_site_config.json").write_text(json.dumps({"time_zone": "Asia/Shanghai"}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BJ_")}
    env.update(BJ_SITES_DIR=str(tmp_path), BJ_SITE=name)
    return env


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_passes_in_production_settings(tmp_path):
    from django.conf import settings

    env = _site_env(
        tmp_path,
        "prod",
        secret_key="x" * 20 + os.urandom(24).hex(),
        debug=False,
        allowed_hosts=["enroll.example.gov.cn"],
        db_url=settings.DB_URL,
        redis_url=settings.REDIS_URL,
        redis_queue_url=settings.REDIS_QUEUE_URL,
        staff_2fa=True,
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_debug_site(tmp_path):
    env = _site_env(tmp_path, "unsafe", secret_key="short", debug=True)
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr + result.stdout


def _settings_of(env, expr):
    code = f"import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({expr}))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_site_without_database_runs_embedded(tmp_path):
    env = _site_env(tmp_path, "embedded", secret_key="k" * 50)
    engine, cache, jobs, db_name = _settings_of(
        env,
        "[s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.JOBS_IN_PROCESS,"
        " str(s.DATABASES['default']['NAME'])]",
    )
    assert engine == "django.db.backends.sqlite3"
    assert cache.endswith("LocMemCache") and jobs is True
    assert db_name == str(tmp_path / "embedded" / "site.sqlite3")


def test_site_with_servers_uses_mariadb_and_redis(tmp_path):
    env = _site_env(
        tmp_path,
        "servers",
        secret_key="k" * 50,
        db_url="mysql://u:p@localhost/bj",
        redis_url="redis://127.0.0.1:6379/3",
    )
    engine, charset, cache, session, jobs = _settings_of(
        env,
        "[s.DATABASES['default']['ENGINE'], s.DATABASES['default']['OPTIONS']['charset'],"
        " s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.JOBS_IN_PROCESS]",
    )
    assert engine == "django.db.backends.mysql" and charset == "utf8mb4"
    assert cache == "django_redis.cache.RedisCache"
    assert session == "django.contrib.sessions.backends.cache" and jobs is False


def test_environment_overrides_site_which_overrides_common(tmp_path):
    env = _site_env(tmp_path, "layers", secret_key="k" * 50, time_zone="Asia/Urumqi", allowed_hosts=["site.example"])
    env["BJ_ALLOWED_HOSTS"] = "env.example, other.example"
    tz, hosts = _settings_of(env, "[s.TIME_ZONE, s.ALLOWED_HOSTS]")
    assert tz == "Asia/Urumqi"
    assert hosts == ["env.example", "other.example"]


def test_new_site_generates_a_secret_once(tmp_path):
    env = {**os.environ, "BJ_SITES_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-m", "config.sites", "new", "fresh"], cwd=ROOT, env=env, check=True, capture_output=True
        )
    conf = json.loads((tmp_path / "fresh" / "site_config.json").read_text())
    assert len(conf["secret_key"]) >= 50
    assert (tmp_path / "fresh" / "site_config.json").stat().st_mode & 0o077 == 0
    first = conf["secret_key"]
    subprocess.run([sys.executable, "-m", "config.sites", "new", "fresh"], cwd=ROOT, env=env, check=True)
    assert json.loads((tmp_path / "fresh" / "site_config.json").read_text())["secret_key"] == first


def test_no_secret_is_committed():
    tracked = subprocess.run(["git", "ls-files", "sites"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert tracked == ["sites/common_site_config.json"]
    assert "secret" not in (ROOT / "sites" / "common_site_config.json").read_text()


@pytest.mark.parametrize(
    ("server", "unreachable", "says"),
    [
        ("cache Redis", {"BJ_REDIS_URL": "redis://127.0.0.1:1/0"}, "Redis unreachable"),
        ("queue Redis", {"BJ_REDIS_QUEUE_URL": "redis://127.0.0.1:1/0"}, "queue Redis unreachable"),
        ("MariaDB", {"BJ_DB_URL": "mysql://nobody:nothing@127.0.0.1:1/none"}, "MariaDB unreachable"),
    ],
)
def test_suite_fails_rather_than_skips_without_a_server(server, unreachable, says):
    env = {**os.environ, "BJ_REQUIRE_SERVERS": "1", **unreachable}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/bj_enrollment/test_rules_identity.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0, server
    assert says in result.stdout + result.stderr


def test_a_web_process_loads_no_spreadsheet_pdf_or_pinyin_library(tmp_path):
    """Processes stay small (#17): openpyxl (~15 MiB) and WeasyPrint load in the processes that write a
    workbook or a PDF — the worker, the print worker — never at a web process's start; pypinyin (~55 MiB)
    where a child is saved (gunicorn's master loads it once for its workers: config/gunicorn.py)."""
    env = _site_env(tmp_path, "lean", secret_key="x" * 50)
    heavy = "{'openpyxl', 'weasyprint', 'fontTools', 'pypinyin'}"
    probe = ("from django.urls import get_resolver; get_resolver().url_patterns; import config.wsgi, sys; "
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))")
    result = _manage("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
