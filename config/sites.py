"""Per-site configuration, Frappe-style: sites/common_site_config.json, then
sites/<site>/site_config.json, then BJ_* environment variables.

Kept free of Django imports so that set-up scripts can create a site before Django starts.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SITES_DIR = Path(os.environ.get("BJ_SITES_DIR", BASE_DIR / "sites"))

# key -> environment variable that overrides it
ENV_KEYS = {
    "db_url": "BJ_DB_URL",
    "redis_url": "BJ_REDIS_URL",
    "redis_queue_url": "BJ_REDIS_QUEUE_URL",
    "secret_key": "BJ_SECRET_KEY",
    "allowed_hosts": "BJ_ALLOWED_HOSTS",
    "debug": "BJ_DEBUG",
    "https": "BJ_HTTPS",
    "sms_adapter": "BJ_SMS_ADAPTER",
    "registry_adapter": "BJ_REGISTRY_ADAPTER",
    "time_zone": "BJ_TIME_ZONE",
    "staff_2fa": "BJ_STAFF_2FA",
}
LIST_KEYS = {"allowed_hosts"}
BOOL_KEYS = {"debug", "https", "staff_2fa"}


def site_name() -> str:
    return os.environ.get("BJ_SITE", "demo")


def site_dir(name: str | None = None) -> Path:
    return SITES_DIR / (name or site_name())


def _read(path: Path) -> dict:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _parse_env(key: str, raw: str):
    if key in LIST_KEYS:
        return [h.strip() for h in raw.split(",") if h.strip()]
    if key in BOOL_KEYS:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return raw


def load(name: str | None = None) -> dict:
    """Merged configuration of one site; later sources win."""
    conf = _read(SITES_DIR / "common_site_config.json")
    conf.update(_read(site_dir(name) / "site_config.json"))
    for key, env in ENV_KEYS.items():
        if env in os.environ:
            conf[key] = _parse_env(key, os.environ[env])
    conf["site"] = name or site_name()
    return conf


def create(name: str, **values) -> Path:
    """Create (or complete) a site's config with a fresh secret key; never overwrites values."""
    path = site_dir(name) / "site_config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    conf = _read(path)
    conf.setdefault("secret_key", secrets.token_urlsafe(50))
    for key, value in values.items():
        if value is not None:
            conf.setdefault(key, value)
    path.write_text(json.dumps(conf, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def main(argv: list[str]) -> int:
    """`python -m config.sites new <site> [key=value ...]`"""
    if len(argv) < 2 or argv[0] != "new":
        sys.stderr.write("usage: python -m config.sites new <site> [key=value ...]\n")
        return 2
    values = {}
    for pair in argv[2:]:
        key, _, value = pair.partition("=")
        values[key] = _parse_env(key, value)
    path = create(argv[1], **values)
    sys.stdout.write(f"site config: {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
