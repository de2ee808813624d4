"""Pupil accounts made by the teacher: a batch for a class, its printable sheet, and a
password reset."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from awareness.models import User
from awareness.throttle import (
    throttle_count,
    throttle_hit,
    too_many_requests,
)
from awareness.typing import AuthenticatedHttpRequest
from quizzes.classes import services, slips
from quizzes.classes.forms import (
    BatchAccountsForm,
)
from quizzes.classes.guards import (
    class_for_teacher,
    form_errors,
    member_or_404,
)
from quizzes.classes.lookups import repeated_names

# Pupil accounts one teacher may create per hour: several classes' worth, but not a script
# filling the database.
ACCOUNTS_PER_HOUR = 200
ACCOUNTS_WINDOW = 3600


# --- pupil accounts --------------------------------------------------------------------


def _accounts_left(teacher: User) -> int:
    """How many more pupil accounts ``teacher`` may create in this hour's window."""
    used = throttle_count("pupil-accounts", str(teacher.pk), window=ACCOUNTS_WINDOW)
    return max(0, ACCOUNTS_PER_HOUR - used)


def _too_many_accounts(request: HttpRequest, left: int) -> HttpResponse:
    return too_many_requests(
        request,
        _(
            "You can create at most %(limit)d pupil accounts an hour, and this would go over "
            "that (%(left)d left this hour)."
        )
        % {"limit": ACCOUNTS_PER_HOUR, "left": left},
        retry_after=ACCOUNTS_WINDOW - int(time.time()) % ACCOUNTS_WINDOW,
    )


@never_cache
@login_required
def class_batch_accounts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    form = BatchAccountsForm(request.POST or None)
    repeated: list[str] = []
    if request.method == "POST" and form.is_valid():
        # Two pupils of one name cannot be told apart in the results: say so, and create
        # them only once the teacher confirms (or changes the names).
        repeated = repeated_names(classroom, form.cleaned_data["names"])
        if repeated and request.POST.get("same_names") != "keep":
            return render(
                request,
                "quizzes/classes/batch_accounts.html",
                {"classroom": classroom, "form": form, "repeated": repeated},
            )
        wanted = len(form.cleaned_data["names"]) or form.cleaned_data.get("count") or 0
        # Checked, then counted once created: two batches sent at the same moment can pass
        # together, which overshoots by at most one batch.
        if wanted > (left := _accounts_left(request.user)):
            return _too_many_accounts(request, left)
        try:
            issued = services.accounts_create_batch(
                classroom=classroom,
                teacher=request.user,
                count=form.cleaned_data.get("count") or 0,
                display_names=form.cleaned_data["names"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            throttle_hit(
                "pupil-accounts", str(request.user.pk), window=ACCOUNTS_WINDOW, amount=len(issued)
            )
            messages.success(
                request,
                _("%(count)d accounts created. Print the sheet and cut it into slips.")
                % {"count": len(issued)},
            )
            response = redirect("classes:batch-sheet", pk=classroom.pk)
            slips.sheet_remember(
                request, response, classroom, {item.user.pk: item.password for item in issued}
            )
            return response
    return render(
        request, "quizzes/classes/batch_accounts.html", {"classroom": classroom, "form": form}
    )


@dataclass
class Slip:
    user: User
    password: str  # empty once the pupil has chosen their own


@never_cache
@login_required
def class_batch_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    if request.method == "POST":
        messages.success(request, _("The one-time passwords are forgotten."))
        response = redirect(classroom)
        slips.sheet_forget(request, response, classroom)
        return response
    passwords = slips.sheet_passwords(request, classroom)
    users = (
        User.objects.filter(
            pk__in=list(passwords),
            created_by=request.user,
            memberships__classroom=classroom,
        )
        .only("id", "username", "display_name", "must_change_password")
        .order_by("display_name", "username")
    )
    sheet = [
        Slip(user=u, password=passwords[u.pk] if u.must_change_password else "") for u in users
    ]
    return render(
        request,
        "quizzes/classes/batch_sheet.html",
        {
            "classroom": classroom,
            "slips": sheet,
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
            "sheet_minutes": int(slips.SHEET_LIFETIME.total_seconds()) // 60,
            "password_days": settings.ONE_TIME_PASSWORD_DAYS,
        },
    )


@never_cache
@login_required
def class_reset_password(
    request: AuthenticatedHttpRequest, pk: int, student_pk: int
) -> HttpResponse:
    """A new one-time password for a pupil account this teacher created: while the pupil still
    has one, or with the pupil's consent once they chose their own (otherwise only a site
    administrator can)."""
    classroom = class_for_teacher(request, pk)
    membership, label = member_or_404(classroom, student_pk)
    student = membership.student
    if student.created_by_id != request.user.pk:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            issued = services.account_reset_password(teacher=request.user, account=student)
        except PermissionDenied:
            student.refresh_from_db()
            status = 403
        else:
            messages.success(
                request,
                _("%(name)s has a new one-time password; it is on the sheet below.")
                % {"name": label},
            )
            response = redirect("classes:batch-sheet", pk=classroom.pk)
            slips.sheet_remember(request, response, classroom, {student.pk: issued.password})
            return response
    return render(
        request,
        "quizzes/classes/reset_password.html",
        {
            "classroom": classroom,
            "label": label,
            "student": student,
            "password_days": settings.ONE_TIME_PASSWORD_DAYS,
        },
        status=status,
    )
