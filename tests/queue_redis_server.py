"""A throwaway queue Redis for fault-injection tests: deploy/redis-queue.conf on a free port and its own
folder, killed (SIGKILL, like a crash) and started again over the same append-only files."""

import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QueueRedis:
    def __init__(self, folder):
        self.port, self.folder, self.proc = free_port(), folder, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> redis.Redis:
        conf = str(ROOT / "deploy" / "redis-queue.conf")
        self.proc = subprocess.Popen(
            ["redis-server", conf, "--port", str(self.port), "--dir", str(self.folder), "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(200):
            try:
                client.ping()
                return client
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("the queue Redis did not start")

    def kill(self):
        self.proc.kill()
        self.proc.wait(timeout=10)


@contextmanager
def running(folder):
    server = QueueRedis(folder)
    server.start()
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.kill()
