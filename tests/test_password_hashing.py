"""Passwords are hashed with Argon2id at OWASP's server parameters; older hashes are upgraded when
their owner logs in, and still let them in."""

from argon2 import extract_parameters
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.contrib.auth.models import User
from django.urls import reverse

from apps.bj_enrollment.models import Application

PASSWORD = "Parent2026ok"


def parameters(encoded: str):
    return extract_parameters(encoded.removeprefix("argon2"))


def test_new_passwords_use_owasp_server_parameters(db):
    user = User.objects.create_user("someone", password=PASSWORD)
    params = parameters(user.password)
    assert user.password.startswith("argon2$argon2id$")
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)


def test_a_parent_with_an_old_hash_logs_in_and_the_hash_is_upgraded(client, city):
    app = city.east_app
    old = make_password(PASSWORD, hasher=Argon2PasswordHasher())  # Django's defaults: 100 MiB, 8 lanes
    user = User.objects.create(username=app.form_number, password=old)
    Application.objects.filter(pk=app.pk).update(account=user)
    assert parameters(old).memory_cost == 102400

    response = client.post(reverse("portal:login"), {"username": app.form_number, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    user.refresh_from_db()
    assert user.password != old
    params = parameters(user.password)
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert user.check_password(PASSWORD)


def test_a_wrong_password_leaves_the_old_hash_alone(client, city):
    app = city.east_app
    old = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    user = User.objects.create(username=app.form_number, password=old)
    Application.objects.filter(pk=app.pk).update(account=user)

    response = client.post(reverse("portal:login"), {"username": app.form_number, "password": "Wrong2026pw"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old
