"""The spot-the-scam check: a start page, one page per message (question, then feedback on
the next GET: post/redirect/get) and a result page with the before / after comparison."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awareness.models import User
from quizzes.check import selectors
from quizzes.check.forms import CheckAnswerForm
from quizzes.check.services import CheckError, check_answer, check_next, check_session_start
from quizzes.models import CheckSession
from quizzes.play.start_throttle import start_allowed, start_refused
from quizzes.play.views import visitor_id


def _player_user(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def _get_session_for_player(request: HttpRequest, session_id: int) -> CheckSession:
    """The check session if it belongs to this user (or this visitor's session); 404 otherwise."""
    if request.user.is_authenticated:
        return get_object_or_404(CheckSession, pk=session_id, user=request.user)
    vid = visitor_id(request)
    if not vid:
        raise Http404
    return get_object_or_404(CheckSession, pk=session_id, user__isnull=True, visitor_id=vid)


def _render_start(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    user, vid = _player_user(request), visitor_id(request)
    context = {
        "open_session": selectors.check_open_session(user, vid),
        "summary": selectors.check_summary(user, vid),
        "upcoming": check_next(user, vid),
        "error": error,
    }
    return render(request, "quizzes/check/start.html", context, status=status)


@require_GET
def check_start_page(request: HttpRequest) -> HttpResponse:
    return _render_start(request)


@require_POST
def check_start(request: HttpRequest) -> HttpResponse:
    user = _player_user(request)
    visitor = "" if user else visitor_id(request, create=True)
    if not start_allowed(request, visitor_id=visitor):
        return start_refused(request)
    try:
        session = check_session_start(user=user, visitor_id=visitor, language=get_language())
    except CheckError as exc:
        return _render_start(request, error=exc.message, status=exc.status)
    return redirect("check:item", session.pk, selectors.check_next_position(session))


def _render_item(
    request: HttpRequest,
    page: selectors.CheckItemPage,
    form: CheckAnswerForm | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "session": page.session,
        "page": page,
        "item": page.item,
        "answer": page.answer,
        "form": form or CheckAnswerForm(),
        "error": error,
    }
    return render(request, "quizzes/check/item.html", context, status=status)


@require_http_methods(["GET", "POST"])
def check_item(request: HttpRequest, session_id: int, index: int) -> HttpResponse:
    session = _get_session_for_player(request, session_id)
    page = selectors.check_item_page(session, index)
    if page is None:
        raise Http404
    if page.answer is None and page.item is None and page.is_current:
        raise Http404  # the message was deleted by an editor
    if request.method == "GET":
        if page.answer is None and not page.is_current:
            return redirect("check:item", session.pk, page.next_position)
        return _render_item(request, page)

    form = CheckAnswerForm(request.POST)
    if page.answer is not None or not page.is_current:
        # Already answered, or a message further on: refuse before judging the form.
        error = (
            _("You have already answered this message.")
            if page.answer is not None
            else _("Please answer the messages in order.")
        )
        return _render_item(request, page, form, error=error, status=409)
    if not form.is_valid():
        error = _("Answer both questions: is it a scam, and how sure are you?")
        return _render_item(request, page, form, error=error, status=400)
    try:
        check_answer(
            session=session,
            position=index,
            says_scam=form.says_scam,
            confidence=form.cleaned_data["confidence"],
        )
    except CheckError as exc:
        return _render_item(request, page, form, error=exc.message, status=exc.status)
    if session.kind != CheckSession.Kind.PRACTICE:
        # A measure teaches nothing until its end: straight on to the next message.
        if page.is_last:
            return redirect("check:result", session.pk)
        return redirect("check:item", session.pk, index + 1)
    return redirect("check:item", session.pk, index)


@require_GET
def check_result(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _get_session_for_player(request, session_id)
    if session.finished_at is None:
        return redirect("check:item", session.pk, selectors.check_next_position(session))
    result = selectors.check_result(session)
    summary = selectors.check_summary(_player_user(request), visitor_id(request))
    return render(
        request,
        "quizzes/check/result.html",
        {
            "session": session,
            "result": result,
            "score": result.score,
            "summary": summary,
        },
    )
