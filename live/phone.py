"""The students' side, on their phones: type the code (or follow the QR code's link), join as
themselves or with a nickname, vote on each step, see whether their choice was safe."""

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awareness.throttle import client_ip, throttle_exceeded, throttle_hit, too_many_requests
from live import events, services
from live.forms import LiveCodeForm, NicknameForm
from live.guards import has_joined, participant_for, participant_or_404, remember
from live.models import LiveParticipant, LiveSession
from live.presenters import spot_html
from live.selectors import own_vote
from quizzes.classes.joining import JOIN_WINDOW, JOIN_WRONG_PER_USER
from quizzes.play.feedback import answer_feedback
from quizzes.play.forms import parse_answer
from quizzes.play.services import PlayError
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content

State = LiveSession.State

# --- wrong codes are throttled as class codes are (quizzes.classes.joining) -----------------

# A whole room types a live code at once, usually behind one school address (40 phones, some
# mistyping twice), so an address may get more wrong than for class codes (30 in 10 minutes).
# Guessing stays hopeless: 100 tries among 31**6 codes with a few thousand open find one with
# p < 1e-3, and a stranger who gets in is never named on the projector.
LIVE_WRONG_PER_ADDRESS = 100


def _throttled(request: HttpRequest) -> bool:
    user = str(request.user.pk) if request.user.is_authenticated else ""
    return bool(
        user and throttle_exceeded("live-user", user, limit=JOIN_WRONG_PER_USER, window=JOIN_WINDOW)
    ) or throttle_exceeded(
        "live-ip", client_ip(request), limit=LIVE_WRONG_PER_ADDRESS, window=JOIN_WINDOW
    )


def _wrong_code(request: HttpRequest) -> None:
    if request.user.is_authenticated:
        throttle_hit("live-user", str(request.user.pk), window=JOIN_WINDOW)
    throttle_hit("live-ip", client_ip(request), window=JOIN_WINDOW)


def _refused(request: HttpRequest) -> HttpResponse:
    return too_many_requests(
        request, _("Too many wrong live codes were tried."), retry_after=JOIN_WINDOW
    )


def _enter_page(request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
    return render(request, "live/enter.html", {"form": form}, status=status)


def live_enter(request: HttpRequest) -> HttpResponse:
    """/live/: type the code from the screen (or come with ?code=)."""
    if request.method == "POST":
        data, error_status = request.POST, 400
    elif "code" in request.GET:
        data, error_status = request.GET, 404
    else:
        return _enter_page(request, LiveCodeForm())
    form = LiveCodeForm(data)
    if not form.is_valid():
        return _enter_page(request, form, status=400)
    if _throttled(request):
        return _refused(request)
    try:
        session = services.session_for_code(form.cleaned_data["code"])
    except services.LiveError as error:
        _wrong_code(request)
        form.add_error("code", error.message)
        return _enter_page(request, form, status=error_status)
    return redirect("live:join", session.join_code)


def live_join(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code's link: a signed-in student joins as themselves, anyone else with a
    nickname. Someone who joined already goes straight to the session."""
    if _throttled(request):
        return _refused(request)
    try:
        session = services.session_for_code(code)
    except services.LiveError as error:
        _wrong_code(request)
        code_form = LiveCodeForm({"code": code[:12]})
        code_form.is_valid()
        code_form.add_error("code", error.message)
        return _enter_page(request, code_form, status=404)
    joined = participant_for(request, session.pk)
    if joined is not None:
        remember(request, joined)
        return redirect("live:phone", session.pk)
    as_student = request.user.is_authenticated and request.user.is_student
    form = None if as_student else NicknameForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form is None or form.is_valid():
            try:
                participant = services.live_join(
                    session=session,
                    user=request.user if as_student else None,  # type: ignore[arg-type]
                    nickname=form.cleaned_data["nickname"] if form else "",
                )
            except services.LiveError as error:
                if form is None:
                    raise Http404 from error
                form.add_error("nickname", error.message)
                status = error.status
            else:
                remember(request, participant)
                return redirect("live:phone", session.pk)
        else:
            status = 400
    return render(request, "live/join.html", {"session": session, "form": form}, status=status)


# --- following and voting ---------------------------------------------------------------------


def _phone_page(
    request: HttpRequest, participant: LiveParticipant, error: str = "", status: int = 200
) -> HttpResponse:
    session = participant.session
    content = version_content(session.version_id)
    step = engine.steps_by_key(content).get(session.current_key)
    context: dict[str, Any] = {
        "session": session,
        "participant": participant,
        "content": content,
        "step": step,
        "error": error,
        "state_url": reverse("live:state", args=[session.pk]),
        "events_url": events.stream_url(request, session),
    }
    if step is not None and step["kind"] in services.VOTE_KINDS:
        vote = own_vote(participant, step["key"])
        context["vote"] = vote
        context["options"] = engine.in_shown_order(step, session.option_order)
        if step["kind"] == "spot":
            context["spot_html"] = spot_html(content, step, with_flags=False)
        if vote is not None and session.state == State.REVEALED:
            context.update(answer_feedback(content, step, vote, session.option_order))
    return render(request, "live/phone.html", context, status=status)


@require_GET
def live_phone(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_for(request, pk)
    if participant is None:
        # A guest of a session that has ended: they were deleted with it; say it ended.
        if has_joined(request, pk):
            return render(request, "live/phone_ended.html")
        raise Http404
    if not has_joined(request, pk):
        remember(request, participant)  # a student on another device: the polling needs it
    return _phone_page(request, participant)


@require_POST
def live_vote(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_or_404(request, pk)
    try:
        step_key, choice_key, selected = parse_answer(request.POST)
        services.live_vote(
            participant=participant, step_key=step_key, choice_key=choice_key, selected=selected
        )
    except (services.LiveError, PlayError) as error:
        participant.session.refresh_from_db()
        return _phone_page(request, participant, error.message, status=error.status)
    return redirect("live:phone", pk)
