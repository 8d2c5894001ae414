"""Following a desk export as its user does: the action answers with the progress page, a worker
writes the file (RQ's "long" queue on the suite's queue Redis), the download link hands it out."""

from __future__ import annotations

import django_rq
from django.db import connection
from rq import SimpleWorker


def run_export_jobs() -> None:
    """Hand over what waits for the test's never-committed transaction, then let a worker empty the queue."""
    pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()
    queue = django_rq.get_queue("long")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def exported(client, response) -> bytes | None:
    """The file an export action's response leads to, or None when the action started no export."""
    if response.status_code != 302 or "/desk/exports/" not in response["Location"]:
        return None
    run_export_jobs()
    progress = client.get(response["Location"])
    assert progress.status_code == 200 and progress.context["downloadable"], progress.content.decode()[-2000:]
    download = client.get(response["Location"] + "download/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)
