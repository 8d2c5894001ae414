"""Write the site's configuration (workflows, roles, custom fields, print formats, message templates,
categories) to a JSON file, or to standard output."""

from django.core.management.base import BaseCommand

from apps.lowcode.configuration import exporting


class Command(BaseCommand):
    help = "Export the site's configuration to a JSON file (see apps/lowcode/configuration/exportable.py)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file to write; standard output when omitted")

    def handle(self, *args, path=None, **options):
        text = exporting.dumps(exporting.export())
        if path is None:
            self.stdout.write(text)
            return
        with open(path, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        self.stderr.write(f"configuration written to {path}")
