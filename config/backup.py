"""Back up and restore a site: its database, its configuration (with the secret key) and uploaded files.

    python -m config.backup create [--site S] [--out DIR]          a dated .tar.gz, mode 600
    python -m config.backup restore ARCHIVE [--site S] [--force]    onto an empty database

The secret key travels with the data: password-reset links, API tokens and the keyed hashes of the zone
look-up log are only valid under the key they were made with. The archive therefore is as secret as the
database itself. Redis is not backed up: the cache is disposable, and jobs lost with the queue are
re-driven by the scheduler's sweeper from the database. Kept free of Django imports (like config.sites)
so that a fresh server can restore before the site exists; `./run backup` / `./run restore` wrap it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from config import sites

FORMAT = 1
# where each server lives: kept from the target site, never taken from the archive
CONNECTION_KEYS = ("db_url", "redis_url", "redis_queue_url")


class BackupError(Exception):
    pass


def _mysql(db_url: str) -> dict | None:
    parts = urlsplit(db_url or "")
    if parts.scheme not in {"mysql", "mariadb"}:
        return None
    return {
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "host": parts.hostname or "localhost",
        "port": parts.port or 3306,
        "name": parts.path.lstrip("/"),
    }


@contextmanager
def _client_options(db: dict):
    """A private option file: the password never appears in a command line (`ps` shows those)."""
    with tempfile.NamedTemporaryFile("w", suffix=".cnf", delete=False) as fh:
        os.chmod(fh.name, 0o600)
        fh.write(f"[client]\nuser={db['user']}\npassword={db['password']}\nhost={db['host']}\nport={db['port']}\n")
    try:
        yield f"--defaults-extra-file={fh.name}"
    finally:
        os.unlink(fh.name)


def _run(command: list[str], **kwargs):
    kwargs.setdefault("stdout", subprocess.PIPE)
    result = subprocess.run(command, stderr=subprocess.PIPE, **kwargs)  # noqa: S603  (fixed client programs)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.decode(errors='replace').strip()}")
    return result


def _sqlite_path(site: str) -> Path:
    return sites.site_dir(site) / "site.sqlite3"


def create(site: str, out: Path | None = None) -> Path:
    """Write `<site>-<UTC time>.tar.gz` (mode 600) and return its path."""
    conf = sites.load(site)
    folder = sites.site_dir(site)
    out = Path(out or folder / "backups")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = out / f"{site}-{stamp}.tar.gz"
    db = _mysql(conf.get("db_url"))
    with tempfile.TemporaryDirectory() as tmp:
        if db:
            dump = Path(tmp) / "database.sql"
            with _client_options(db) as options, dump.open("wb") as fh:
                # one consistent snapshot without locking the site; no CREATE DATABASE, so it loads under any name
                _run(
                    [
                        "mariadb-dump",
                        options,
                        "--single-transaction",
                        "--quick",
                        "--routines",
                        "--triggers",
                        "--hex-blob",
                        "--default-character-set=utf8mb4",
                        "--no-tablespaces",
                        db["name"],
                    ],
                    stdout=fh,
                )
        elif _sqlite_path(site).exists():
            dump = Path(tmp) / "database.sqlite3"
            with sqlite3.connect(_sqlite_path(site)) as source, sqlite3.connect(dump) as target:
                source.backup(target)
        else:
            raise BackupError(f"site {site} has no database to back up")
        manifest = {"format": FORMAT, "site": site, "created": stamp, "database": dump.name}
        old_umask = os.umask(0o077)
        try:
            with tarfile.open(archive, "w:gz") as tar:
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
                _add_bytes(tar, "site_config.json", (folder / "site_config.json").read_bytes())
                tar.add(dump, arcname=dump.name)
                if (folder / "files").is_dir():
                    tar.add(folder / "files", arcname="files")
        finally:
            os.umask(old_umask)
    archive.chmod(0o600)
    return archive


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


# tarfile's "data" filter where the interpreter has it: Debian 12's Python 3.11.2 (which ./run uses)
# predates it, and there _plain_members alone keeps the archive inside the folder.
_DATA_FILTER = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


def _plain_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The archive's files and folders, each under the folder it is unpacked into: an archive is refused
    whole for a link, a device, an absolute name or a `..` (what the "data" filter refuses too)."""
    members = tar.getmembers()
    for member in members:
        parts = PurePosixPath(member.name).parts
        if not (member.isfile() or member.isdir()) or member.name.startswith(("/", "\\")) or ".." in parts:
            raise BackupError(f"the archive holds {member.name!r}, which a backup never does")
    return members


def restore_config(archive: Path, site: str) -> Path:
    """The archived configuration (secret key included) under the target site's own server connections."""
    with tarfile.open(archive) as tar:
        archived = json.load(tar.extractfile("site_config.json"))
    path = sites.site_dir(site) / "site_config.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    merged = {k: v for k, v in archived.items() if k not in CONNECTION_KEYS}
    merged.update({k: current[k] for k in CONNECTION_KEYS if k in current})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def restore(archive: Path, site: str, force: bool = False) -> None:
    """Configuration, database and files of the archive into `site`. The site's database (named by its own
    db_url) and files folder must be empty unless `force`, which replaces them."""
    conf = sites.load(site)
    files = sites.site_dir(site) / "files"
    db = _mysql(conf.get("db_url"))
    with tarfile.open(archive) as tar, tempfile.TemporaryDirectory() as tmp:
        manifest = json.load(tar.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')}")
        dump = Path(tmp) / manifest["database"]
        if dump.suffix == ".sql" and not db:
            raise BackupError(f"site {site} has no MariaDB db_url: create it first (./run restore does)")
        if dump.suffix == ".sqlite3" and db:
            raise BackupError(f"the archive holds an embedded site; site {site} uses MariaDB")
        if files.is_dir() and any(files.iterdir()) and not force:
            raise BackupError(f"{files} is not empty (use --force to replace it)")
        if db:
            _prepare_mariadb(db, force)
        elif _sqlite_path(site).exists() and not force:
            raise BackupError(f"{_sqlite_path(site)} exists (use --force to replace it)")
        tar.extractall(tmp, members=_plain_members(tar), **_DATA_FILTER)  # noqa: S202 (members checked)
        restore_config(archive, site)
        if db:
            with _client_options(db) as options, dump.open("rb") as fh:
                _run(["mariadb", options, db["name"]], stdin=fh)
        else:
            shutil.copyfile(dump, _sqlite_path(site))
        if files.exists():
            shutil.rmtree(files)
        if (Path(tmp) / "files").is_dir():
            shutil.copytree(Path(tmp) / "files", files)


def _prepare_mariadb(db: dict, force: bool):
    """An empty database of that name: created if missing, refused if it holds tables, unless `force`."""
    create = f"CREATE DATABASE IF NOT EXISTS `{db['name']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    with _client_options(db) as options:
        base = ["mariadb", options, "--batch", "--skip-column-names"]
        _run([*base, "-e", create])
        count = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
        tables = int(_run([*base, db["name"], "-e", count]).stdout.strip() or 0)
        if tables and not force:
            raise BackupError(f"database {db['name']} already has {tables} tables (use --force to replace it)")
        if tables:
            _run([*base, "-e", f"DROP DATABASE `{db['name']}`; {create}"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.backup", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="back up a site into a dated archive")
    make.add_argument("--site", default=sites.site_name())
    make.add_argument("--out", type=Path, help="folder for the archive (default sites/<site>/backups)")
    back = commands.add_parser("restore", help="restore an archive into a site with an empty database")
    back.add_argument("archive", type=Path)
    back.add_argument("--site", default=sites.site_name())
    back.add_argument("--force", action="store_true", help="replace the site's database and files")
    back.add_argument("--config-only", action="store_true", help="only write the site's configuration")
    options = parser.parse_args(argv)
    try:
        if options.command == "create":
            sys.stdout.write(f"{create(options.site, options.out)}\n")
        elif options.config_only:
            sys.stdout.write(f"{restore_config(options.archive, options.site)}\n")
        else:
            restore(options.archive, options.site, options.force)
            sys.stdout.write(f"restored {options.archive} into site {options.site}; now run manage.py migrate\n")
    except (BackupError, OSError, KeyError, tarfile.TarError) as exc:
        sys.stderr.write(f"backup: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
