import pytest

from apps.bj_enrollment.registries import simulator


@pytest.fixture
def registry(settings, tmp_path):
    """The simulator, its records in a folder of this test, retries 60 s apart (scheduled, not run)."""
    settings.REGISTRY_ADAPTER = "simulator"
    settings.REGISTRY_SETTINGS = {"simulator_dir": str(tmp_path / "registry"), "retry_intervals": [60] * 5}
    return simulator
