"""`python -m config.keep_running rqworker default long --with-scheduler`: a worker that survives Redis.

RQ's worker and cron scheduler exit when Redis drops mid-job (and honcho then stops the web too). This
runs `manage.py <command>` in a child process and, when it fails, waits for the site's queue Redis with
exponential back-off and starts it again. The first SIGTERM/SIGINT is passed on once (RQ then finishes
the current job) and ends the loop. Free of Django imports so that it starts at once; in production
systemd restarts this process too (deploy/systemd/).
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import signal
import subprocess
import sys
import time

import redis

from config import sites

log = logging.getLogger("keep_running")
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """The child gets SIGTERM if this supervisor is killed outright, so no worker is left orphaned."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    def __init__(self, command, first_delay=1.0, max_delay=30.0, healthy_after=60.0):
        self.command, self.child, self.stopping, self.passed_on = command, None, False, False
        self.first_delay, self.max_delay, self.healthy_after = first_delay, max_delay, healthy_after
        conf = sites.load()
        self.queue_url = conf.get("redis_queue_url") or conf.get("redis_url")

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        delay = self.first_delay
        while True:
            if self.queue_url:
                delay = self._wait_for_redis(delay)
            if self.stopping:
                return 0
            started = time.monotonic()
            self.child = subprocess.Popen(  # noqa: S603  (our own manage.py with the operator's arguments)
                [sys.executable, str(sites.BASE_DIR / "manage.py"), *self.command],
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            if self.stopping and not self.passed_on:  # the stop came while the child was being started
                self.passed_on = True
                self.child.send_signal(signal.SIGTERM)
            code = self.child.wait()
            if self.stopping or code == 0:
                return code
            if time.monotonic() - started >= self.healthy_after:
                delay = self.first_delay
            log.warning("%s exited with status %s; restarting in %g s", self.command[0], code, delay)
            self._sleep(delay)
            delay = min(delay * 2, self.max_delay)

    def _wait_for_redis(self, delay):
        """Ping until the queue Redis answers, doubling the wait; returns the next back-off delay."""
        client = redis.Redis.from_url(self.queue_url, socket_connect_timeout=2, socket_timeout=2)
        while not self.stopping:
            try:
                client.ping()
                return delay
            except redis.RedisError as exc:
                log.warning("queue Redis unreachable (%s); retrying in %g s", exc, delay)
                self._sleep(delay)
                delay = min(delay * 2, self.max_delay)
        return delay

    def _sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))

    def _stop(self, signum, frame):
        """Pass the first stop signal on once: RQ takes a second one as 'kill the running job'."""
        if not self.stopping and self.child is not None and self.child.poll() is None:
            self.passed_on = True
            self.child.send_signal(signum)
        self.stopping = True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.keep_running", description=__doc__.splitlines()[0])
    parser.add_argument("--first-delay", type=float, default=1.0, help="seconds before the first restart")
    parser.add_argument("--max-delay", type=float, default=30.0, help="longest wait between restarts")
    parser.add_argument("--healthy-after", type=float, default=60.0, help="a run this long resets the back-off")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the manage.py command and its arguments")
    options = parser.parse_args(argv)
    if not options.command:
        parser.error("name the manage.py command to keep running")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s keep_running %(levelname)s %(message)s")
    return Supervisor(options.command, options.first_delay, options.max_delay, options.healthy_after).run()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
