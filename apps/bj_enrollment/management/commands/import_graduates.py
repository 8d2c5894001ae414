"""Import a district's primary graduates from the student registry into a junior-high campaign (R37):
the desk's registry import for scripts and schedules. Exit status 3 when the registry did not answer
(nothing imported, run again later), 1 when records were refused (nothing imported)."""

from django.core.management.base import BaseCommand, CommandError

from apps.bj_enrollment.choices import Level
from apps.bj_enrollment.imports import students as students_import


class Command(BaseCommand):
    help = "Import a district's graduates from the student registry into a junior-high campaign."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the junior-high campaign's year")
        parser.add_argument("--district", required=True, help="the district's 6-digit code")

    def handle(self, *args, year, district, **options):
        from apps.bj_enrollment.models import Campaign, District

        campaign = Campaign.objects.filter(year=year, level=Level.JUNIOR).first()
        if campaign is None:
            raise CommandError(f"no junior-high campaign for {year}")
        found = District.objects.filter(code=district).first()
        if found is None:
            raise CommandError(f"no district with code {district}")
        result = students_import.import_from_registry(campaign, found, user=None)
        if result.pending:
            raise CommandError("the student registry did not answer; nothing was imported", returncode=3)
        for error in result.errors:
            self.stderr.write(f"record {error.row}: {error.message}")
        if result.errors:
            raise CommandError("records refused; nothing was imported")
        for conflict in result.conflicts:
            self.stdout.write(f"left unchanged: {conflict.message}")
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
            f"conflicts {len(result.conflicts)}"
        )
