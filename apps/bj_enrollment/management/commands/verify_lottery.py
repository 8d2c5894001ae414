"""Re-run a published draw and say whether it matches: the stand-alone verifier, run from the project."""

import importlib.util
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

FILES = {"input": "input.json", "output": "output.json", "seed_file": "seed.txt", "commitments": "commitments.json"}


def _verifier():
    """tools/verify_lottery.py is loaded as a file: it must stay free of project imports, so it is not a module here."""
    path = Path(settings.BASE_DIR) / "tools" / "verify_lottery.py"
    spec = importlib.util.spec_from_file_location("verify_lottery", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Command(BaseCommand):
    help = "Check a lottery's published files (input.json, seed.txt, output.json, commitments.json) in a directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder holding the files the desk publishes for a run")

    def handle(self, directory, **options):
        folder = Path(directory)
        missing = [name for name in FILES.values() if not (folder / name).is_file()]
        if missing:
            raise CommandError(f"missing in {folder}: {', '.join(missing)}")
        argv = []
        for option, name in FILES.items():
            argv += [f"--{option.replace('_', '-')}", str(folder / name)]
        if _verifier().main(argv) != 0:
            raise CommandError("the published files do NOT reproduce the draw")
