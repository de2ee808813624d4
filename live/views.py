"""The teacher's live pages: start a session, the projector view, the control view (every
change a plain form post), a past session's figures, and the state every page polls."""

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from awareness.typing import AuthenticatedHttpRequest
from live import events, presenters, services
from live.forms import LiveNewForm
from live.guards import session_for_teacher
from live.models import LiveSession
from live.qr import qr_svg
from live.selectors import session_tallies, signed_in_votes, teacher_sessions
from live.state import state_for
from quizzes.classes.guards import require_teacher
from quizzes.classes.selectors import student_label
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content

State = LiveSession.State


def live_context(request: HttpRequest, session: LiveSession, *, screen: bool) -> dict[str, Any]:
    """What the projector (``screen``) and the control view show of the session as it is."""
    content = version_content(session.version_id)
    steps = engine.steps_by_key(content)
    step = steps.get(session.current_key)
    revealed = session.state == State.REVEALED
    context: dict[str, Any] = {
        "session": session,
        "content": content,
        "step": step,
        "revealed": revealed,
        "state_url": reverse("live:state", args=[session.pk]),
        "events_url": events.stream_url(request, session),
        "join_url": request.build_absolute_uri(reverse("live:join", args=[session.join_code])),
        "enter_url": request.build_absolute_uri(reverse("live:enter")),
    }
    if screen and session.state == State.LOBBY:
        context["qr"] = qr_svg(context["join_url"], label=_("QR code of the link to join"))
    if session.state == State.ENDED or (step is not None and step["kind"] == "ending"):
        if screen and step is not None:
            context["messages_html"] = presenters.shown_messages_html(
                content, session, with_flags=True
            )
        context["recap"] = presenters.recap_of(content, session, session_tallies(session))
    elif step is not None:  # a decision or a spot step
        context["voting"] = session.state == State.STEP
        context["options"] = engine.in_shown_order(step, session.option_order)
        if screen:
            context["messages_html"] = presenters.shown_messages_html(
                content, session, with_flags=revealed
            )
            if step["kind"] == "spot":
                context["spot_html"] = presenters.spot_html(content, step, with_flags=revealed)
        if revealed:
            tally = session_tallies(session, step["key"])[step["key"]]
            context["split"] = presenters.split_of(step, tally, session.option_order)
            context["majority"] = presenters.majority_row(context["split"])
    return context


# --- starting -------------------------------------------------------------------------------


@login_required
def live_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose a scenario (and a class, or none for a room of guests) and open the lobby; the
    teacher's recent sessions below."""
    teacher = require_teacher(request)
    initial = {"classroom": request.GET.get("class", "")} if request.method == "GET" else None
    form = LiveNewForm(
        request.POST or None, initial=initial, teacher=teacher, language=get_language()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.live_create(
                    teacher=teacher,
                    scenario=form.cleaned_data["scenario"],
                    classroom=form.cleaned_data["classroom"],
                )
            except services.LiveError as error:
                form.add_error(None, error.message)
            else:
                return redirect(session)
        status = 400
    return render(
        request,
        "live/session_new.html",
        {"form": form, "sessions": list(teacher_sessions(teacher))},
        status=status,
    )


# --- the projector and the controls ---------------------------------------------------------


@login_required
@require_GET
def live_screen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The projector: large type, the step as its channel, counts and never a name."""
    session = session_for_teacher(request, pk)
    return render(request, "live/session_screen.html", live_context(request, session, screen=True))


def _actions(choice: str) -> dict[str, Callable[..., LiveSession]]:
    return {
        "start": services.live_start,
        "reveal": services.live_reveal,
        "follow": lambda **kw: services.live_follow(**kw, choice_key=choice),
        "next": services.live_next,
        "pause": lambda **kw: services.live_pause(**kw, paused=True),
        "resume": lambda **kw: services.live_pause(**kw, paused=False),
        "hide-names": lambda **kw: services.live_hide_names(**kw, hidden=True),
        "show-names": lambda **kw: services.live_hide_names(**kw, hidden=False),
        "end": services.live_end,
    }


def _control_page(
    request: AuthenticatedHttpRequest, session: LiveSession, error: str = "", status: int = 200
) -> HttpResponse:
    context = live_context(request, session, screen=False)
    context["error"] = error
    if session.state != State.ENDED and not session.names_hidden:
        context["participants"] = [
            student_label(p.user, teacher=session.teacher, number=n) if p.user else p.nickname
            for n, p in enumerate(session.participants.select_related("user"), start=1)
        ]
    return render(request, "live/session_control.html", context, status=status)


@login_required
def live_control(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The teacher's buttons (a laptop or a phone). Every press is a POST of ``action``; the
    projector's own button comes back to the projector (``back=screen``)."""
    session = session_for_teacher(request, pk)
    if request.method != "POST":
        return _control_page(request, session)
    action = _actions(request.POST.get("choice", "")[:80]).get(request.POST.get("action", ""))
    if action is None:
        return HttpResponseBadRequest(_("Unknown action."))
    try:
        action(session=session, teacher=request.user)
    except services.LiveError as error:
        return _control_page(
            request, session_for_teacher(request, pk), error.message, status=error.status
        )
    if request.POST.get("back") == "screen":
        return redirect("live:screen", session.pk)
    return redirect("live:control", session.pk)


@login_required
@require_GET
def live_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A session's figures, during or after it: each step's split, the branch followed, and
    each signed-in student's votes (guests are only in the counts)."""
    session = session_for_teacher(request, pk)
    content = version_content(session.version_id)
    recap = presenters.recap_of(content, session, session_tallies(session))
    students = [
        (student_label(p.user, teacher=session.teacher, number=n), votes)
        for n, (p, votes) in enumerate(signed_in_votes(session), start=1)
        if p.user is not None
    ]
    return render(
        request,
        "live/session_results.html",
        {
            "session": session,
            "content": content,
            "recap": recap,
            "students": presenters.student_rows(recap, students),
        },
    )


# --- the state every page follows ----------------------------------------------------------


@require_GET
def live_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's state as JSON for live.js, answered from the session row alone (and the
    teacher's account for the teacher): no template, no write. ``?since=<revision>`` answers
    204 when nothing changed."""
    data = state_for(request, pk)
    if data is None:
        return JsonResponse({"error": "not found"}, status=404)
    if request.GET.get("since", "") == str(data["revision"]):
        return HttpResponse(status=204)
    return JsonResponse(data)


@require_GET
async def live_events(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The same state pushed as server-sent events (live.events), under ASGI with Redis only;
    404 elsewhere, where live.js polls. 204 once the session has ended: nothing more comes,
    and a browser's EventSource stops asking on a 204."""
    if not events.enabled() or not isinstance(request, ASGIRequest):
        raise Http404
    first = await sync_to_async(events.opening_state)(request, pk)
    if first is None:
        raise Http404
    if first["view"].startswith(f"{State.ENDED}:"):
        return HttpResponse(status=204)
    response = StreamingHttpResponse(events.stream(pk, first), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
