"""#13.3: the systemd units shipped in deploy/systemd are valid for systemd, run exactly the Procfile's
commands (development and production start the same processes) and supervise them."""

import configparser
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALLED = "/srv/bj_enrollment"  # where the README installs the code


def _unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


def _procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_systemd_accepts_every_unit(tmp_path):
    """`systemd-analyze verify` with the code at this checkout: keys, dependencies and that each command exists."""
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED, str(ROOT)))
    result = subprocess.run(
        [
            shutil.which("systemd-analyze") or "systemd-analyze",
            "verify",
            "--man=no",
            *sorted(str(p) for p in tmp_path.iterdir()),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unknown" not in result.stderr, result.stderr


def test_units_run_the_procfile_commands_and_restart_them():
    procfile = _procfile()
    for process in ("web", "worker", "printer", "scheduler"):
        service = _unit(f"bj-{process}@.service")["Service"]
        command = service["ExecStart"].removeprefix(f"{INSTALLED}/.venv/bin/")
        assert command == procfile[process]
        assert service["Restart"] == "always"
        assert service["WorkingDirectory"] == INSTALLED and service["Environment"] == "BJ_SITE=%i"
        # only the main process gets SIGTERM: keep_running passes it on once, so a running job finishes
        assert service["KillMode"] == "mixed"
    target = _unit("bj@.target")["Unit"]["Wants"].split()
    assert target == ["bj-web@%i.service", "bj-worker@%i.service", "bj-printer@%i.service", "bj-scheduler@%i.service"]


def test_queue_redis_unit_uses_the_append_only_config_and_its_own_state_directory():
    service = _unit("bj-redis-queue.service")["Service"]
    assert service["ExecStart"].split()[1] == f"{INSTALLED}/deploy/redis-queue.conf"
    conf = dict(
        line.split(None, 1)
        for line in (ROOT / "deploy" / "redis-queue.conf").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert conf["dir"] == f"/var/lib/{service['StateDirectory']}"
    assert (conf["appendonly"], conf["appendfsync"], conf["maxmemory-policy"]) == ("yes", "everysec", "noeviction")
    for process in ("worker", "printer", "scheduler"):
        assert "bj-redis-queue.service" in _unit(f"bj-{process}@.service")["Unit"]["After"].split()
