"""Boosters for a class: which members have one due (quizzes.play.boosters decides, the same
way it does on their own pages), and the teacher's "send the class a booster"."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awareness.models import User
from awareness.typing import AuthenticatedHttpRequest
from quizzes.classes.guards import class_for_teacher
from quizzes.classes.selectors import member_labels
from quizzes.models import ClassBooster, Classroom
from quizzes.play.boosters import BoosterStatus, statuses_for

# A second press within this time sends nothing new (a double tap, a reload).
RESEND_AFTER = timedelta(hours=1)
CACHE_SECONDS = 3600


@dataclass
class ClassBoosters:
    due: list[tuple[str, BoosterStatus]]  # how the teacher sees each student's name
    members: int
    last_sent: datetime | None


def class_boosters(classroom: Classroom, stamp: str) -> ClassBoosters:
    """Who in the class has a booster due. Working that out reads every answer of every member,
    so it is kept in the shared cache under what it depends on (``stamp``: the members and their
    booster rounds, from ``stamps.class_stamps``), the boosters sent and the hour: a due date
    that passes shows within the hour. Two queries when cached."""
    last = ClassBooster.objects.filter(classroom=classroom).order_by("-created_at").first()
    hour = int(timezone.now().timestamp() // 3600)
    key = f"quizzes:class-boosters:{classroom.pk}:{last.pk if last else 0}:{hour}:{stamp}"
    found = cache.get(key)
    if found is None:
        found = _class_boosters(classroom, last.created_at if last else None)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _class_boosters(classroom: Classroom, last_sent: datetime | None) -> ClassBoosters:
    """Students are named as on the rest of the class page (``student_label``: a username only
    to the teacher who created the account), in the same order."""
    members = member_labels(classroom)
    statuses = statuses_for([pk for pk, _label in members])
    due = [(label, statuses[pk]) for pk, label in members if statuses[pk].due]
    due.sort(key=lambda row: row[0].casefold())
    return ClassBoosters(due, len(members), last_sent)


@transaction.atomic
def booster_send(*, classroom: Classroom, teacher: User) -> ClassBooster:
    """Send the class a booster: due at once for every member who has not started one since."""
    if classroom.teacher_id != teacher.pk or classroom.is_archived:
        raise PermissionError
    recent = ClassBooster.objects.filter(
        classroom=classroom, created_at__gt=timezone.now() - RESEND_AFTER
    ).first()
    return recent or ClassBooster.objects.create(classroom=classroom)


@login_required
@require_POST
def send_booster(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    if classroom.is_archived:
        messages.error(request, _("This class is archived."))
    else:
        booster_send(classroom=classroom, teacher=request.user)
        messages.success(
            request,
            _("Booster sent. Your students see it on their home page and on My progress."),
        )
    return redirect("classes:detail", classroom.pk)
