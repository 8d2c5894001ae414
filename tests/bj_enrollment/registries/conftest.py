import django_rq
import pytest
from rq import SimpleWorker

from apps.bj_enrollment.registries import simulator


@pytest.fixture
def registry(settings, tmp_path):
    """The simulator, its records in a folder of this test, retries 60 s apart (scheduled, not run)."""
    settings.REGISTRY_ADAPTER = "simulator"
    settings.REGISTRY_SETTINGS = {"simulator_dir": str(tmp_path / "registry"), "retry_intervals": [60] * 5}
    return simulator


@pytest.fixture
def queue():
    q = django_rq.get_queue("default")
    q.empty()
    for registry in (q.scheduled_job_registry, q.failed_job_registry, q.finished_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    yield q
    q.empty()


@pytest.fixture
def run_jobs(queue):
    def run():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)

    return run
