"""The privacy pages: download my data, delete my account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    Http404,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from awareness.typing import AuthenticatedHttpRequest
from quizzes.play.services import VISITOR_SESSION_KEY
from quizzes.privacy.forms import AccountDeleteForm
from quizzes.privacy.services import account_delete as delete_account
from quizzes.privacy.services import user_data_export


@never_cache
@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@login_required
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    can_delete = not (user.is_staff or user.is_superuser)
    form = AccountDeleteForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and can_delete and form.is_valid():
        visitor_id = request.session.get(VISITOR_SESSION_KEY, "")
        try:
            delete_account(user=user, visitor_id=visitor_id)
        except PermissionDenied:
            raise Http404 from None
        logout(request)
        messages.success(request, _("Your account and all its data have been deleted."))
        return redirect("pages:home")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "quizzes/privacy/account_delete.html",
        {"form": form, "can_delete": can_delete},
        status=status if can_delete else 403,
    )
