"""The print queue's RQ worker: WeasyPrint, the CJK faces and a font configuration are loaded once,
before RQ forks a work horse for each job, so every job starts from a warm process instead of
importing WeasyPrint and opening the fonts again.

    manage.py rqworker print --worker-class apps.lowcode.printing.worker.PrintWorker
"""

from __future__ import annotations

import gc

from rq.worker import Worker


def prepare() -> None:
    """Warms the printing in this process, then freezes what start-up left for the garbage collector:
    each render allocates many objects, and every full collection would walk Django's and WeasyPrint's
    long-lived ones again (tens of milliseconds a render)."""
    from apps.lowcode.printing import fonts

    fonts.warm()
    gc.collect()
    gc.freeze()


class PrintWorker(Worker):
    def work(self, *args, **kwargs):
        prepare()
        return super().work(*args, **kwargs)
