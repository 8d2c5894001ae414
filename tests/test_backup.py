"""#13.13: a site backed up (database, configuration with its secret, uploaded files) and restored into a
fresh database under another name runs: migrations complete, the rows there, and a reviewer logs in and
opens an application in the desk of the restored site. Bounded: one dump and load of the test database."""

import io
import json
import os
import stat
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import MySQLdb
import pytest
from django.conf import settings
from django.db import connection

from apps.bj_enrollment.models import Application
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def _db_url(name):
    db = connection.settings_dict
    return f"mysql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 3306}/{name}"


def _drop(name):
    db = connection.settings_dict
    conn = MySQLdb.connect(
        host=db["HOST"] or "localhost", user=db["USER"], password=db["PASSWORD"], port=int(db["PORT"] or 3306)
    )
    try:
        conn.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        conn.close()


@pytest.fixture
def restore_db():
    name = f"{connection.settings_dict['NAME']}_restore"  # the site user's grant: test_bj_<site>_restore
    _drop(name)
    yield name
    _drop(name)


def _site(sites_dir, name, **conf):
    (sites_dir / name).mkdir(parents=True)
    path = sites_dir / name / "site_config.json"
    path.write_text(json.dumps(conf))
    return path


def _env(sites_dir, site):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BJ_")}
    return {**env, "BJ_SITES_DIR": str(sites_dir), "BJ_SITE": site, "BJ_HTTPS": "false", "BJ_STAFF_2FA": "false"}


def _backup(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "config.backup", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


JOURNEY = """
import django, json
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from apps.bj_enrollment.models import Application
setup_test_environment()
client = Client()
assert client.login(username="east", password=%(password)r)
app = Application.objects.get(pk=%(pk)d)
page = client.get(f"/desk/bj_enrollment/application/{app.pk}/change/")
print(json.dumps({"applications": Application.objects.count(), "status": page.status_code,
                  "form_number_shown": app.form_number in page.content.decode()}))
"""


def test_backup_restored_into_a_fresh_database_runs(tmp_path, restore_db):
    city = factories.City.build()
    source, target = tmp_path / "source", tmp_path / "target"
    _site(
        source,
        "live",
        secret_key="s" * 50,
        db_url=_db_url(connection.settings_dict["NAME"]),
        redis_url=settings.REDIS_URL,
        redis_queue_url=settings.REDIS_QUEUE_URL,
    )
    (source / "live" / "files" / "uploads").mkdir(parents=True)
    (source / "live" / "files" / "uploads" / "证明.pdf").write_bytes(b"%PDF-1.7 uploaded")

    made = _backup("create", "--out", str(tmp_path / "backups"), env=_env(source, "live"))
    assert made.returncode == 0, made.stderr
    archive = Path(made.stdout.strip())
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "site_config.json", "database.sql", "files/uploads/证明.pdf"} <= names

    # the fresh server's site: its own database connection, nothing else yet
    _site(
        target,
        "restored",
        db_url=_db_url(restore_db),
        redis_url=settings.REDIS_URL,
        redis_queue_url=settings.REDIS_QUEUE_URL,
    )
    restored = _backup("restore", str(archive), "--site", "restored", env=_env(target, "restored"))
    assert restored.returncode == 0, restored.stderr

    conf = json.loads((target / "restored" / "site_config.json").read_text())
    assert conf["secret_key"] == "s" * 50 and conf["db_url"] == _db_url(restore_db)
    assert stat.S_IMODE((target / "restored" / "site_config.json").stat().st_mode) == 0o600
    assert (target / "restored" / "files" / "uploads" / "证明.pdf").read_bytes() == b"%PDF-1.7 uploaded"

    env = _env(target, "restored")
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert check.returncode == 0, check.stdout + check.stderr  # every migration recorded as applied
    code = JOURNEY % {"password": factories.PASSWORD, "pk": city.east_app.pk}
    journey = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert journey.returncode == 0, journey.stderr
    assert json.loads(journey.stdout.splitlines()[-1]) == {
        "applications": Application.objects.count(),
        "status": 200,
        "form_number_shown": True,
    }


def test_restore_refuses_a_database_that_holds_data(tmp_path):
    factories.City.build()
    sites_dir = tmp_path / "sites"
    _site(sites_dir, "live", secret_key="s" * 50, db_url=_db_url(connection.settings_dict["NAME"]))
    made = _backup("create", env=_env(sites_dir, "live"))
    assert made.returncode == 0, made.stderr
    before = Application.objects.count()
    config_before = (sites_dir / "live" / "site_config.json").read_text()

    result = _backup("restore", made.stdout.strip(), "--site", "live", env=_env(sites_dir, "live"))
    assert result.returncode == 1
    assert "already has" in result.stderr and "--force" in result.stderr
    assert Application.objects.count() == before
    assert (sites_dir / "live" / "site_config.json").read_text() == config_before


@pytest.mark.parametrize("member", ["../escaped-{tag}.txt", "{tmp}/escaped-{tag}.txt", "link-{tag}"])
def test_restore_refuses_an_archive_that_reaches_outside_its_folder(tmp_path, member):
    """What tarfile's "data" filter refuses is refused on any interpreter (Debian 12's 3.11.2 has no
    filter): a name with `..`, an absolute name, a link. Nothing is written, the site stays as it was."""
    from config.backup import FORMAT

    tag = tmp_path.name
    outside = Path(tempfile.gettempdir()) / f"escaped-{tag}.txt"  # where `..` from the unpacking folder lands
    name = member.format(tag=tag, tmp=tempfile.gettempdir())
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for entry, data in (("manifest.json", json.dumps({"format": FORMAT, "database": "db.sqlite3"}).encode()),
                            ("site_config.json", b'{"secret_key": "x"}'), ("db.sqlite3", b"")):
            info = tarfile.TarInfo(entry)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(name)
        if name.startswith("link"):
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
        else:
            info.size = 4
            tar.addfile(info, io.BytesIO(b"evil"))
    sites_dir = tmp_path / "sites"
    config = _site(sites_dir, "target", secret_key="t" * 50)
    before = config.read_text()

    result = _backup("restore", str(archive), "--site", "target", env=_env(sites_dir, "target"))
    assert result.returncode == 1
    assert "which a backup never does" in result.stderr
    assert not outside.exists() and not list(tmp_path.rglob(f"*escaped-{tag}*"))
    assert config.read_text() == before
    assert sorted(p.name for p in (sites_dir / "target").iterdir()) == ["site_config.json"]
