"""`check --deploy` refuses debug with a database server, a weak secret key, and staff log-in
without a second factor."""

import secrets

import pytest
from django.conf import settings

from apps.bj_enrollment.deploy_checks import weak_secret
from tests.test_project import _manage, _site_env

STRONG = secrets.token_urlsafe(50)


@pytest.mark.parametrize(
    "secret", ["django-insecure-" + secrets.token_urlsafe(50), "short-key", "k" * 64, "abcd" * 20]
)
def test_weak_secrets(secret):
    assert weak_secret(secret)


def test_generated_secret_is_strong():
    assert not weak_secret(STRONG)


def test_debug_site_with_a_database_and_weak_secret_fails(tmp_path):
    env = _site_env(tmp_path, "debugdb", secret_key="django-insecure-abc", debug=True, db_url=settings.DB_URL)
    result = _manage("check", "--deploy", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "bj_enrollment.E101" in output and "bj_enrollment.E102" in output
    assert "bj_enrollment.E103" not in output


def test_production_site_without_staff_2fa_fails(tmp_path):
    env = _site_env(
        tmp_path,
        "no2fa",
        secret_key=STRONG,
        debug=False,
        staff_2fa=False,
        allowed_hosts=["enroll.example.gov.cn"],
        db_url=settings.DB_URL,
        redis_url=settings.REDIS_URL,
        redis_queue_url=settings.REDIS_QUEUE_URL,
    )
    result = _manage("check", "--deploy", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "bj_enrollment.E103" in output
    assert "bj_enrollment.E101" not in output and "bj_enrollment.E102" not in output


@pytest.mark.django_db
def test_a_database_refusing_a_city_wide_lottery_document_fails_the_deploy_check(monkeypatch):
    """The server ./run configured (deploy/mariadb.cnf) passes; one whose packet is below what a
    city-wide lottery document needs is named, with the file to install."""
    from django.db import connection

    from apps.lowcode import deploy_checks

    assert connection.vendor == "mysql"  # the suite runs on MariaDB (./run test), where the setting lives
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@global.max_allowed_packet")
        (packet,) = cursor.fetchone()
    assert deploy_checks.database_takes_large_documents() == []
    monkeypatch.setattr(deploy_checks, "MIN_PACKET_BYTES", int(packet) + 1)
    [error] = deploy_checks.database_takes_large_documents()
    assert error.id == "lowcode.E102" and "deploy/mariadb.cnf" in error.hint
