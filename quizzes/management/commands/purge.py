from django.conf import settings
from django.core.management.base import BaseCommand

from quizzes.privacy.services import data_purge


class Command(BaseCommand):
    help = (
        "Delete what the site no longer needs: visitors' attempts and checks untouched for "
        "VISITOR_DATA_DAYS days, login records older than LOGIN_RECORD_DAYS days, expired "
        "sessions. Idempotent; run it daily (README: Deploying)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = data_purge(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} (visitor data after {settings.VISITOR_DATA_DAYS} days, "
            f"login records after {settings.LOGIN_RECORD_DAYS} days):"
        )
        for kind, count in counts.items():
            self.stdout.write(f"  {count} {kind}")
