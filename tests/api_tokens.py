"""A family's API credentials in tests: a token from POST /api/v1/tokens, the way an app logs in, or
one issued directly when the log-in is not what the test is about. Both return the request's header."""

from apps.bj_enrollment.api import auth


def logged_in(client, username: str, password: str) -> dict:
    """Log in through the API (asserting the token was created) and return its Authorization header."""
    response = client.post(
        "/api/v1/tokens", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def bearer(user) -> dict:
    """The Authorization header of a token issued to `user` without a log-in request."""
    return {"HTTP_AUTHORIZATION": f"Bearer {auth.issue(user)}"}
