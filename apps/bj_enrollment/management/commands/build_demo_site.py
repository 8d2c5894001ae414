"""`manage.py build_demo_site`: a believable demo city; the work is done in bj_enrollment/demo/builder.py."""

import unicodedata

from django.core.management.base import BaseCommand, CommandError

from apps.bj_enrollment.demo import builder, junior


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = (
        "Build a demo site (districts, streets, schools, zones, categories, this year's campaign, "
        "applications and demo users). Idempotent: on a built site it only resets and prints the demo passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--applications", type=int, default=builder.DEFAULT_APPLICATIONS,
            help=f"applications to generate if the campaign has none (default {builder.DEFAULT_APPLICATIONS})",
        )
        parser.add_argument(
            "--seed", type=int, default=builder.DEFAULT_SEED,
            help=f"random seed, for a reproducible site (default {builder.DEFAULT_SEED})",
        )

        parser.add_argument(
            "--junior-graduates", type=int, default=junior.GRADUATES_PER_SCHOOL,
            help="graduates per primary school of the junior-high demo's three districts, if it has none "
                 f"(default {junior.GRADUATES_PER_SCHOOL}; 0: no junior-high campaign)",
        )

    def handle(self, *args, applications, seed, junior_graduates, **options):
        try:
            result = builder.build_demo_site(applications=applications, seed=seed, log=self.stdout.write,
                                             junior_graduates=junior_graduates)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout.write
        out("")
        out(f"{result.campaign}: {result.applications_created} applications created (seed {result.seed}), "
            f"{result.seconds:.1f} s")
        out("")
        out("Rows:")
        for line in _table([["table", "rows"], *([k, str(v)] for k, v in result.counts.items())]):
            out(f"  {line}")
        out("")
        out("Applications by state:")
        for line in _table([["state", "rows"], *([k, str(v)] for k, v in result.states.items())]):
            out(f"  {line}")
        out("")
        out(self.style.WARNING("Demo accounts (demo only; new passwords on every run):"))
        rows = [["path", "username", "role", "scope", "password"]]
        rows += [[u.path, u.username, u.role, u.scope, u.password] for u in result.users]
        for line in _table(rows):
            out(f"  {line}")
        out("")
        example = f", e.g. {result.parent_example}" if result.parent_example else ""
        out(f"Parent accounts: {result.parent_accounts}, log in with the form number{example}; "
            f"shared password: {result.parent_password}")
        out(self.style.SUCCESS(f"Done in {result.seconds:.1f} s."))
