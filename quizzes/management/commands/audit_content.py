"""manage.py audit_content: can the packs be passed by guessing? (quizzes/scenarios/audit.py)"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.check.audit import BankAudit
from quizzes.check.bank import FORMS
from quizzes.check.cues import MAX_CUE_ACCURACY
from quizzes.scenarios.audit import (
    MAX_FLAG_OPTIONS,
    MAX_LONGEST_IS_SAFE,
    MAX_SHORTEST_IS_SAFE,
    MIN_GENUINE,
    PackAudit,
    audit_pack,
)
from quizzes.scenarios.packs.validation import MAX_PACK_BYTES, PackError, parse_pack


class Command(BaseCommand):
    help = (
        "Print, per pack, the figures that show whether its scenarios can be passed by "
        "test-wiseness (the safe choice is the longest or the first option, no genuine "
        "scenarios, short paths, mostly-flag spot steps), and fail when a pack is past the "
        "limits. With no file, audits the shipped packs in content/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="Pack files (default: content/*.json).")

    def handle(self, *args: Any, paths: list[str], **options: Any) -> None:
        files = [Path(p) for p in paths] or sorted(
            Path(settings.BASE_DIR, "content").glob("*.json")
        )
        failed = []
        for path in files:
            try:
                if path.stat().st_size > MAX_PACK_BYTES:
                    raise CommandError(f"{path}: larger than {MAX_PACK_BYTES} bytes")
                pack = parse_pack(path.read_bytes(), name=str(path))
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            except PackError as error:
                raise CommandError("\n".join(error.errors)) from None
            audit = audit_pack(pack)
            self.stdout.write(self._table(path, audit))
            for problem in audit.problems():
                self.stderr.write(f"FAIL {path}: {problem}")
                failed.append(path)
        if failed:
            raise CommandError(f"{len(set(failed))} pack(s) past the audit's limits")

    @staticmethod
    def _table(path: Path, audit: PackAudit) -> str:
        rows = [
            ("scenarios (genuine)", f"{audit.scenarios} ({audit.genuine})", ""),
            ("genuine scenarios", f"{audit.genuine_share:.0%}", f">= {MIN_GENUINE:.0%}"),
            ("decisions", str(audit.decisions), ""),
            (
                "safe choice is the longest option",
                f"{audit.longest_is_safe_share:.0%} ({audit.longest_is_safe})",
                f"<= {MAX_LONGEST_IS_SAFE:.0%}",
            ),
            (
                "safe choice is the shortest option",
                f"{audit.shortest_is_safe_share:.0%} ({audit.shortest_is_safe})",
                f"<= {MAX_SHORTEST_IS_SAFE:.0%}",
            ),
            (
                "safe choice is first in the pack",
                f"{audit.safe_first_share:.0%} ({audit.safe_first})",
                "(shown shuffled)",
            ),
            ("fewest decisions on a path", str(audit.shortest_path), ">= 3, or 2 + a spot step"),
            ("scenarios with a short path", str(len(audit.short_path_scenarios)), "0"),
            (
                "spot options that are flags",
                f"{audit.flag_share:.0%} ({audit.flag_options} of {audit.spot_options})",
                f"<= {MAX_FLAG_OPTIONS:.0%}",
            ),
            ("check items (scams)", f"{audit.check_items} ({audit.check_scams})", ""),
        ]
        lines = [f"{path} ({audit.language})"]
        lines += [f"  {name:<36} {value:<16} {limit}".rstrip() for name, value, limit in rows]
        if audit.bank is not None:
            lines += Command._bank_table(audit.bank)
        return "\n".join(lines)

    @staticmethod
    def _bank_table(bank: BankAudit) -> list[str]:
        """Per form: its size, and how often each surface cue (and a classifier) is right."""
        lines = [
            f"  check items in matched pairs         {bank.pairs} pairs, {bank.unpaired} unpaired"
        ]
        lines.append(
            f"  {'cue (right on this share of items)':<42}"
            + "".join(f"form {form.upper():<4}" for form in FORMS)
            + "limit"
        )
        names = [cue.name for cue in bank.rules.get(FORMS[0], [])]
        for index, name in enumerate(names):
            shares = "".join(f"{bank.rules[form][index].accuracy:<9.0%}" for form in FORMS)
            lines.append(f"    {name:<40}{shares}<= {MAX_CUE_ACCURACY:.0%}")
        shares = "".join(f"{bank.classifier.get(form, 0):<9.0%}" for form in FORMS)
        lines.append(f"    {'word/character classifier':<40}{shares}<= {MAX_CUE_ACCURACY:.0%}")
        sizes = "".join(f"{len(bank.forms.get(form, [])):<9}" for form in FORMS)
        lines.append(f"    {'pairs in the form':<40}{sizes}")
        return lines
