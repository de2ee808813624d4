"""How often anyone may start a scenario attempt or a check: every start writes rows, so an
unlimited loop of starts from one visitor (or one address) would fill the database.

The limits are far above what a person does (a scenario takes a few minutes) and above what a
class of 40 behind one school address does together.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from awareness.throttle import client_ip, throttle_hit, too_many_requests

START_WINDOW = 600
STARTS_PER_PLAYER = 30  # per signed-in user or per visitor session, per 10 minutes
STARTS_PER_ADDRESS = 300  # per address for visitors without an account, per 10 minutes


def start_allowed(request: HttpRequest, *, visitor_id: str) -> bool:
    """Count one start for this player (and, for a visitor, their address); False when over."""
    player = f"u{request.user.pk}" if request.user.is_authenticated else f"v{visitor_id}"
    if throttle_hit("start-player", player, window=START_WINDOW) > STARTS_PER_PLAYER:
        return False
    if request.user.is_authenticated:
        return True
    count = throttle_hit("start-ip", client_ip(request), window=START_WINDOW)
    return count <= STARTS_PER_ADDRESS


def start_refused(request: HttpRequest) -> HttpResponse:
    return too_many_requests(
        request,
        _("You have started a lot of activities in a short time."),
        retry_after=START_WINDOW,
    )
