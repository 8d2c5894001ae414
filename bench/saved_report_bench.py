"""Benchmark of a saved report (#14 item 5) on a demo site (`manage.py build_demo_site`): the page's
work (row count, group counts by state, the first rows) and the whole Excel export in the request,
for the city administrator (every row) and one district reviewer (their district), with the
report's columns including a link (district) and a masked mobile. Each run is rolled back.

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/saved_report_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse

from harness import median_time, out


def _page(plan, user) -> tuple[int, int]:
    from apps.lowcode.reports.runs import PAGE_ROWS

    queryset = plan.queryset(user)
    rows = list(plan.rows(queryset, limit=PAGE_ROWS))
    total = queryset.count()
    plan.groups(queryset)
    return total, len(rows)


def _excel(plan, user) -> int:
    from io import BytesIO

    from openpyxl import Workbook

    from apps.lowcode.export_cells import safe_row

    book = Workbook(write_only=True)
    sheet = book.create_sheet("report")
    written = 0
    for row in plan.rows(plan.queryset(user)):
        sheet.append(safe_row(row))
        written += 1
    book.save(BytesIO())
    return written


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from apps.bj_enrollment import roles
    from apps.bj_enrollment.models import Application
    from apps.lowcode.reports.models import SavedReport

    city = User.objects.filter(groups__name=roles.CITY_ADMIN, is_active=True).first()
    reviewer = User.objects.filter(groups__name=roles.DISTRICT_REVIEWER, is_active=True).first()
    if city is None or reviewer is None or not Application.objects.exists():
        out("no demo data: run manage.py build_demo_site first")
        return {}
    figures = {}
    with transaction.atomic():
        report = SavedReport.objects.create(
            name="bench", document_type=ContentType.objects.get_for_model(Application),
            columns=["form_number", "district", "school", "state", "mobile", "registered_at"], group_by="state",
        )
        plan = report.plan()
        for who, user in (("city administrator", city), ("district reviewer", reviewer)):
            page, (total, shown) = median_time(lambda u=user: _page(plan, u), args.runs)
            excel, written = median_time(lambda u=user: _excel(plan, u), max(1, args.runs // 2))
            out(f"{who}: {total} rows in scope; page (count, group counts, {shown} rows) "
                f"median {page * 1000:.0f} ms; Excel of {written} rows median {excel * 1000:.0f} ms")
            figures[who] = {"rows": total, "page_ms": page * 1000, "excel_ms": excel * 1000}
        transaction.set_rollback(True)
    return figures


if __name__ == "__main__":
    main()
