"""manage.py import_content: load a content pack file into the database."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.scenarios.packs.importer import pack_import
from quizzes.scenarios.packs.validation import MAX_PACK_BYTES, PackError, parse_pack


class Command(BaseCommand):
    help = (
        "Import a content pack (topics, scenarios and check items in one language; the format "
        "is described in docs/content-pack.md). The whole pack is checked first and refused if "
        "anything in it breaks a rule; otherwise it is written in one transaction. Content is "
        "matched by language and slug (or key), unchanged content is left alone, and imported "
        "scenarios are published, so running the command twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help='The pack file (JSON, UTF-8), or "-" to read stdin.')
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the pack and report what would change, without writing anything.",
        )

    def handle(self, *args: Any, path: str, dry_run: bool, **options: Any) -> None:
        name = "stdin" if path == "-" else Path(path).name
        raw = self._read(path)
        try:
            report = pack_import(parse_pack(raw, name=name), name=name, dry_run=dry_run)
        except PackError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            # A list cut short ends in a line saying so, which is not a problem of its own.
            count = len(exc.errors) - 1 if exc.more else len(exc.errors)
            problems = f"{count} problem{'s' if count != 1 else ''}"
            if exc.more:
                problems = f"more than {problems}"
            raise CommandError(f"{name}: refused, nothing imported ({problems})") from None
        self.stdout.write(report.summary())

    def _read(self, path: str) -> bytes:
        """Read at most one byte past the size limit, so parse_pack can refuse a huge file."""
        if path == "-":
            return sys.stdin.buffer.read(MAX_PACK_BYTES + 1)
        try:
            with open(path, "rb") as fh:
                return fh.read(MAX_PACK_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
