"""R27's figures kept by the database: triggers on the application table add and take away 1 in
`ApplicationCount` (doctype/application_count.py) for every row inserted, changed or deleted, in the
same statement and transaction, whoever writes (the workflow engine, a bulk action, a district
move, a raw `update()`). The statistics page then reads a few thousand counters instead of grouping
300,000 applications (1.2 s, issue #17).

MariaDB only (the production database); on SQLite (the embedded demo) `grouped` counts afresh. The
local day is fixed with the site's time zone when the triggers are installed: after changing
`time_zone`, run `rebuild()` (`manage.py shell -c "from apps.bj_enrollment.reports import counters;
counters.rebuild()"`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, TruncDate

from apps.bj_enrollment.models import Application, ApplicationCount
from apps.bj_enrollment.scope import restrict, scope_of

KEY = ("campaign_id", "district_id", "school_key", "state", "hukou_category", "day")
TRIGGERS = ("application_count_insert", "application_count_update", "application_count_delete")


def _day(row: str) -> str:
    """The local day, as Django's TruncDate has it; the UTC day if MariaDB lacks its time-zone
    tables, so that a write never fails for want of them."""
    at = f"{row}.registered_at"
    return f"COALESCE(DATE(CONVERT_TZ({at}, 'UTC', '{settings.TIME_ZONE}')), DATE({at}))"


def _key_values(row: str) -> list[str]:
    return [
        f"{row}.campaign_id", f"{row}.district_id", f"COALESCE({row}.school_id, 0)", f"{row}.state",
        f"{row}.hukou_category", _day(row),
    ]


def _add(row: str) -> str:
    table = ApplicationCount._meta.db_table
    return (
        f"INSERT INTO {table} ({', '.join(KEY)}, n) VALUES ({', '.join(_key_values(row))}, 1) "  # noqa: S608
        f"ON DUPLICATE KEY UPDATE n = n + 1"
    )  # (names and settings.TIME_ZONE only: nothing a user typed)


def _take(row: str) -> str:
    table = ApplicationCount._meta.db_table
    where = " AND ".join(f"{k} = {v}" for k, v in zip(KEY, _key_values(row), strict=True))
    return f"UPDATE {table} SET n = n - 1 WHERE {where}"  # noqa: S608 (column names only)


def trigger_sql() -> list[str]:
    table = Application._meta.db_table
    changed = " OR ".join(
        f"NOT (OLD.{c} <=> NEW.{c})"
        for c in ("campaign_id", "district_id", "school_id", "state", "hukou_category", "registered_at")
    )
    return [
        f"CREATE TRIGGER application_count_insert AFTER INSERT ON {table} FOR EACH ROW {_add('NEW')}",
        f"CREATE TRIGGER application_count_delete AFTER DELETE ON {table} FOR EACH ROW {_take('OLD')}",
        f"CREATE TRIGGER application_count_update AFTER UPDATE ON {table} FOR EACH ROW "
        f"IF {changed} THEN {_take('OLD')}; {_add('NEW')}; END IF",
    ]


def uses_counters() -> bool:
    return connection.vendor == "mysql"


def install() -> None:
    """(Re)creates the triggers, then refills the counters from a fresh count."""
    if not uses_counters():
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql in trigger_sql():
            cursor.execute(sql)
    rebuild()


def uninstall() -> None:
    if uses_counters():
        with connection.cursor() as cursor:
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild() -> None:
    """Counters set to a fresh count of the application table (run it while the site is quiet: a
    registration committed during the count may be missed)."""
    if not uses_counters():
        return
    table, source = ApplicationCount._meta.db_table, Application._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (table names only)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(KEY)}, n) SELECT {', '.join(_key_values(source))}, COUNT(*) "  # noqa: S608
            f"FROM {source} GROUP BY 1, 2, 3, 4, 5, 6"
        )


def grouped(user, campaign) -> list[tuple[int, int | None, str, str, object, int]]:
    """(district id, school id or None, state, hukou category, local day, count) of the user's
    applications in the campaign: from the counters where the user's scope is the city or a
    district, counted afresh for a school's staff (a school's scope includes its walk-ins, R23)."""
    scope = scope_of(user)
    if uses_counters() and (scope.everything or (scope.district_id and not scope.school_id)):
        rows = ApplicationCount.objects.filter(campaign_id=campaign.pk, n__gt=0)
        if not scope.everything:
            rows = rows.filter(district_id=scope.district_id)
        return [
            (d, s or None, st, h, day, n)
            for d, s, st, h, day, n in rows.values_list(
                "district_id", "school_key", "state", "hukou_category", "day", "n"
            )
        ]
    return fresh(user, campaign)


def fresh(user, campaign) -> list[tuple[int, int | None, str, str, object, int]]:
    """The same figures counted from the application table."""
    qs = restrict(Application.objects.filter(campaign=campaign), user)
    data = (
        qs.annotate(day=TruncDate("registered_at"), school_key=Coalesce(F("school_id"), Value(0)))
        .values_list("district_id", "school_key", "state", "hukou_category", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(d, s or None, st, h, day, n) for d, s, st, h, day, n in data]
