"""The simulated conversation shown above a question, drawn as its channel: an SMS thread, a chat
or game window, a social post, an incoming call, an e-mail with its headers, a web page with its
address bar (pack version 2 chrome). Red flags are marked where they are, in the text or in the
chrome (a look-alike address, a subject line, an attachment)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from quizzes.models import AttachmentKind, Channel
from quizzes.scenarios import engine

# What the address of each channel is, for screen readers (it is drawn without a label).
ADDRESS_LABELS = {
    Channel.SMS: _("Sender:"),
    Channel.CHAT: _("Account:"),
    Channel.CALL: _("Caller ID:"),
    Channel.EMAIL: _("Address:"),
    Channel.WEB: _("Site:"),
    Channel.SOCIAL: _("Account:"),
    Channel.GAME: _("Player:"),
}


@dataclass(frozen=True)
class Mark:
    """How a marked quote is drawn: its CSS class and, for a red flag, its number."""

    css: str
    number: int | None = None


Segments = list[tuple[str, Mark | None]]


@dataclass
class DrawnMessage:
    """One message (or narration) of the conversation, each of its texts split into segments
    so that quoted red flags can be marked wherever they occur."""

    step: dict[str, Any]
    channel: str
    text: Segments
    address: Segments = field(default_factory=list)
    subject: Segments = field(default_factory=list)
    url: Segments = field(default_factory=list)
    attachment_title: Segments = field(default_factory=list)
    attachment_text: Segments = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    new_thread: bool = True  # the first message from this sender here: draw its header

    @property
    def initials(self) -> str:
        """Up to two initials for the avatar ("Mia Chen" -> "MC", "快递员小王" -> "快")."""
        words = [w for w in str(self.step.get("from", "")).split() if w[0].isalnum()]
        if not words:
            return "?"
        if words[0][0].isascii():
            return "".join(w[0] for w in words[:2]).upper()
        return words[0][0]

    @property
    def address_label(self) -> str:
        return str(ADDRESS_LABELS[Channel(self.channel)])

    @property
    def attachment_label(self) -> str:
        attachment = self.step.get("attachment") or {}
        kind = attachment.get("kind", "")
        return str(AttachmentKind(kind).label) if kind in AttachmentKind.values else ""


@dataclass
class Group:
    """Messages in a row on one channel: drawn as one thread, window or call."""

    channel: Channel
    messages: list[DrawnMessage]


def draw_message(
    step: dict[str, Any], *, channel: str, marks: Sequence[tuple[str, str, Mark]] = ()
) -> DrawnMessage:
    """A message or spot step drawn with ``marks`` (quote, field, mark): a mark with no field
    is in the text; "attachment" is in the attachment's title or, failing that, its text."""
    attachment = step.get("attachment") or {}
    texts = {
        "text": step.get("text", ""),
        "address": step.get("address", ""),
        "subject": step.get("subject", ""),
        "url": step.get("url", ""),
        "attachment_title": attachment.get("title", ""),
        "attachment_text": attachment.get("text", ""),
    }
    wanted: dict[str, list[tuple[str, Any]]] = {name: [] for name in texts}
    for quote, where, mark in marks:
        if where == "attachment":
            where = "attachment_title" if quote in texts["attachment_title"] else "attachment_text"
        wanted[where or "text"].append((quote, mark))
    segments = {name: engine.mark_quotes(value, wanted[name]) for name, value in texts.items()}
    return DrawnMessage(
        step=step,
        channel=step.get("channel") or channel,
        text=segments["text"],
        address=segments["address"],
        subject=segments["subject"],
        url=segments["url"],
        attachment_title=segments["attachment_title"],
        attachment_text=segments["attachment_text"],
    )


def shown_messages(
    content: dict[str, Any], keys: list[str], *, with_flags: bool
) -> list[DrawnMessage]:
    """The conversation among ``keys``: message, narration and spot steps (a spot step is a
    message too, and stays in the conversation once answered); red flags marked and numbered
    only when ``with_flags``."""
    steps = engine.steps_by_key(content)
    shown: list[DrawnMessage] = []
    for key in keys:
        step = steps[key]
        if step["kind"] not in engine.MESSAGE_KINDS:
            continue
        flags = engine.red_flags(step) if with_flags else []
        marks = [
            (flag["quote"], flag.get("field", ""), Mark("flag", number))
            for number, flag in enumerate(flags, start=1)
        ]
        message = draw_message(step, channel=content["channel"], marks=marks)
        message.flags = flags
        shown.append(message)
    return shown


def grouped(messages: list[DrawnMessage]) -> list[Group]:
    """Consecutive messages on one channel as one group; a sender's header is drawn when they
    first speak in a group (an e-mail and a web page always show their own)."""
    groups: list[Group] = []
    previous_sender: tuple[str, str] | None = None
    for message in messages:
        if not groups or message.channel != groups[-1].channel:
            groups.append(Group(Channel(message.channel), []))
            previous_sender = None
        if message.step["kind"] != "narration":
            sender = (message.step.get("from", ""), message.step.get("address", ""))
            message.new_thread = sender != previous_sender
            previous_sender = sender
        groups[-1].messages.append(message)
    return groups


def render_groups(groups: list[Group]) -> SafeString:
    html = render_to_string("quizzes/play/includes/simulation.html", {"groups": groups}).strip()
    return mark_safe(html)  # noqa: S308 (our template; the content is escaped in it)


def simulation_html(content: dict[str, Any], keys: list[str], *, with_flags: bool) -> SafeString:
    """The conversation of the steps ``keys`` of ``content``, with red flags marked or not; each
    message on its own channel (its step's, else the scenario's)."""
    return render_groups(grouped(shown_messages(content, keys, with_flags=with_flags)))


def spot_message_html(
    content: dict[str, Any], step: dict[str, Any], marks: Sequence[tuple[str, str, Mark]] = ()
) -> SafeString:
    """A spot step's message on its own, unmarked while it is asked and marked in its feedback."""
    return render_groups(grouped([draw_message(step, channel=content["channel"], marks=marks)]))
