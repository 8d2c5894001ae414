"""gunicorn settings for every site: `gunicorn -c config/gunicorn.py config.wsgi` (Procfile, systemd).

gunicorn 25.1+ opens a control socket for `gunicornc`, by default ~/.gunicorn/gunicorn.ctl (or under
$XDG_RUNTIME_DIR) for every instance of one user, so a second site's gunicorn removed the first one's.
Here each site has its own, in its site folder. Kept free of Django imports at the top: gunicorn reads it
first; the hooks below run in the master once the application is loaded.

Memory (#17): the master loads the application (`preload_app`) and the workers fork from it, so its pages
are shared copy-on-write instead of each worker holding its own copy (PSS divides a shared page among the
processes). `systemctl reload` (HUP) therefore starts new workers from the application already loaded:
after an upgrade or a change to the site's configuration, restart the service.
"""

import gc
import os

from config import sites

_site = sites.site_name()

bind = [address.strip() for address in os.environ.get("BJ_BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# a request still running after this is killed with a bare 500: registries answer well within it (#13.6)
timeout = int(os.environ.get("BJ_WEB_TIMEOUT", "30"))
graceful_timeout = 30
proc_name = f"bj-{_site}"
accesslog = "-"
# the path without its query string, and no Referer: either can carry an ID or mobile number typed
# into a search or a form (issue 11); method, path, status, bytes, milliseconds and agent remain
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# one control socket per site (`gunicornc -s sites/<site>/gunicorn.ctl`); a Unix socket path is limited
# to 107 bytes, so a site folder deeper than that runs without one rather than sharing
control_socket = str(sites.site_dir(_site) / "gunicorn.ctl")
control_socket_mode = 0o600
control_socket_disable = len(os.fsencode(control_socket)) > 107

preload_app = True


def when_ready(server):
    """Before the first fork: what each worker would otherwise load, and keep, on its own."""
    from django.db import connections
    from django.urls import get_resolver
    from stdnum import numdb

    get_resolver().url_patterns  # noqa: B018 - the views, the desk, the API and its schema
    import pypinyin  # noqa: F401 - a family's registration saves a child (rules/names.py): ~55 MiB, once
    numdb.get("cn/loc")  # the division codes every resident ID check reads (rules/identity.py): ~3.5 MiB

    connections.close_all()  # a connection opened while loading would be one socket shared by every worker


# A desk page allocates tens of thousands of objects: at Python's default (700) the youngest generation
# is collected dozens of times a page. At 50,000 it is about once a page: the reviewer's list costs 3-5 %
# less CPU (interleaved medians, #17) for a few MB more held between collections.
GC_THRESHOLDS = (50_000, 20, 20)


def pre_fork(server, worker):
    # the collector writes into every object it scans, which would copy each shared page into each worker
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
