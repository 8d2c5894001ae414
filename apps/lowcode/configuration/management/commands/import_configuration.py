"""Import a configuration file exported by `export_configuration`: prints what would be added,
changed (field by field) and left unchanged; with --dry-run nothing is written. All or nothing:
any refused row (for example a workflow the desk would refuse) leaves the site as it was."""

from django.core.management.base import BaseCommand, CommandError

from apps.lowcode.configuration import importing
from apps.lowcode.configuration import preview as previews


class Command(BaseCommand):
    help = "Import a configuration file, showing what changes; --dry-run only shows it."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")

    def handle(self, *args, path, dry_run=False, **options):
        with open(path, "rb") as source:
            document = importing.parse(source.read())
        if document is None:
            raise CommandError(f"{path} is not a JSON configuration file")
        outcome = importing.run(document, dry_run=dry_run, file_name=path.rsplit("/", 1)[-1])
        preview = outcome.preview
        for change in preview.changes:
            if change.status == previews.UNCHANGED:
                continue
            self.stdout.write(f"{change.status}: {change.label} {change.name}")
            for difference in change.differences:
                self.stdout.write(f"    {difference.field}: {difference.old_text} → {difference.new_text}")
        counts = {status: len(preview.of(status)) for status in (previews.ADDED, previews.CHANGED, previews.UNCHANGED)}
        self.stdout.write(", ".join(f"{n} {status}" for status, n in counts.items()))
        if outcome.problems:
            raise CommandError("nothing imported:\n" + "\n".join(f"  - {p}" for p in outcome.problems))
        self.stdout.write("dry run: nothing written" if dry_run else "imported")
