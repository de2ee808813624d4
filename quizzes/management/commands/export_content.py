"""manage.py export_content: write one language's content as a content pack file."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awareness.models import Language
from quizzes.scenarios.packs.exporter import pack_dumps, pack_export


class Command(BaseCommand):
    help = (
        "Export every topic, every scenario that is not archived (its current draft) and every "
        "check item of one language as a content pack (format in docs/content-pack.md). "
        "Importing the file with import_content reproduces the same content."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help='The file to write (replaced if it exists), or "-" for stdout.'
        )
        parser.add_argument(
            "--language",
            default=Language.EN.value,
            choices=Language.values,
            help="The content language to export (default: %(default)s).",
        )

    def handle(self, *args: Any, path: str, language: str, **options: Any) -> None:
        pack = pack_export(language=language)
        text = pack_dumps(pack)
        if path == "-":
            self.stdout.write(text, ending="")
            return
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from None
        self.stdout.write(
            f"Wrote {path} [{language}]: {len(pack['topics'])} topics, "
            f"{len(pack['scenarios'])} scenarios, {len(pack['check_items'])} check items"
        )
