from django.core.management.base import BaseCommand

from live.services import live_end_stale


class Command(BaseCommand):
    help = (
        "End live sessions left open for more than --hours hours (default 12): their guests' "
        "nicknames are deleted and their codes freed, as when the teacher presses End. "
        "Idempotent; run it daily with purge (README: Deploying)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=12, help="Age of a stale session.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be ended; change nothing."
        )

    def handle(self, *args, hours: int = 12, dry_run: bool = False, **options):
        if hours < 1:
            self.stderr.write("--hours must be at least 1.")
            raise SystemExit(2)
        count = live_end_stale(hours=hours, dry_run=dry_run)
        verb = "Would end" if dry_run else "Ended"
        self.stdout.write(f"{verb} {count} live sessions open for more than {hours} hours.")
