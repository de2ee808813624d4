"""The branch map: a scenario's steps and choices as a picture, drawn on the server.

Steps are laid out in columns by how many links separate them from the first step (steps no
path reaches get a column of their own); links go left to right, links back (loops) arc above.
Safe and risky choices differ by more than colour: a solid line marked "✓" against a dashed one
marked "✗"; endings carry their outcome in words. This module computes the geometry and the
words; the template (admin/quizzes/scenario/map.html) draws the SVG and the list of paths that
says the same in text.
"""

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from unicodedata import east_asian_width

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.models import Outcome
from quizzes.scenarios.audit import paths as audit_paths
from quizzes.scenarios.editor.checks import PATH_LIMIT, sound
from quizzes.scenarios.editor.labels import step_label
from quizzes.scenarios.packs.graph import link_graph, reachable, step_links, steps_by_key
from quizzes.scenarios.packs.wording import labelled

NODE_WIDTH = 200
NODE_HEIGHT = 64
PORT_GAP = 22  # between the points where a decision's choices leave it
ARROW = 6  # room for the arrowhead before a node
COLUMN_GAP = 170  # room for a choice's label on its edge
ROW_GAP = 40
MARGIN = 24
HEADING = 44  # above the columns, for the "Not reached" heading and loops' arcs
# Room for text, in units of about a Latin letter's width (a Chinese character takes two).
LINE_UNITS = 27  # on one line of a node's label
LABEL_UNITS = 23  # of a choice's words on its link

# An ending's outcome as a mark and words: never colour alone.
OUTCOME_MARKS = {
    Outcome.SAFE: "✓",
    Outcome.PARTLY_HARMED: "◐",
    Outcome.MISSED_OUT: "…",
    Outcome.HARMED: "✗",
}
NOT_REACHED = gettext_lazy("Not reached")


@dataclass
class Node:
    key: str | None  # None: a step a link names but that does not exist
    label: str
    kind: str
    column: int
    ports: int = 1  # links leaving it (a decision's choices get a point each on its side)
    reached: bool = True
    outcome: str = ""
    outcome_mark: str = ""
    outcome_label: str = ""
    x: int = 0
    y: int = 0

    @property
    def height(self) -> int:
        return max(NODE_HEIGHT, PORT_GAP * (self.ports + 1))

    @property
    def width(self) -> int:
        return NODE_WIDTH

    @property
    def lines(self) -> list[str]:
        """The label in at most two lines (the whole label is the node's title)."""
        first, rest = _clip(self.label, LINE_UNITS, at_space=True)
        if not rest:
            return [first]
        second, more = _clip(rest, LINE_UNITS - 1)
        return [first, f"{second}…" if more else second]

    @property
    def css_class(self) -> str:
        classes = ["node", f"node-{self.kind}"]
        if self.outcome:
            classes.append(f"outcome-{self.outcome}")
        if not self.reached:
            classes.append("not-reached")
        return " ".join(classes)

    @property
    def title(self) -> str:
        """The node in words, for a screen reader and a pointer's tooltip."""
        if self.key is None:
            return _("A link leads to a step that does not exist.")
        said = self.label
        if self.outcome_label:
            said += f" ({self.outcome_label})"
        if not self.reached:
            said += " " + _("(no path from the first step reaches it)")
        return said

    @property
    def corner(self) -> int:
        """Endings are rounded: their shape says "the story stops here"."""
        return 24 if self.kind == "ending" else 4

    @property
    def stroke(self) -> int:
        return 3 if self.kind == "decision" else 1

    @property
    def dashed(self) -> bool:
        """A missing step or one no path reaches has a dashed border."""
        return self.key is None or not self.reached

    @property
    def text_x(self) -> int:
        return self.x + (16 if self.kind == "ending" else 10)

    @property
    def text_y(self) -> int:
        return self.y + 22

    @property
    def mark_y(self) -> int:
        return self.y + self.height - 12


@dataclass
class Edge:
    source: Node
    target: Node
    choice: int | None = None  # its index, for a choice's link
    safe: bool = False
    text: str = ""  # the choice's words
    nth: int = 0  # its place among the links of its kind (forward or back) leaving the step
    siblings: int = 1

    @property
    def kind(self) -> str:
        if self.choice is None:
            return "next"
        return "safe" if self.safe else "risky"

    @property
    def back(self) -> bool:
        """A link to a step further left, or to itself: a loop, drawn as an arc above."""
        return self.target.column < self.source.column or self.target is self.source

    @property
    def aside(self) -> bool:
        """A link to another step of the same column (the "Not reached" one, or a loop): it
        goes out to the right and comes back in."""
        return self.target.column == self.source.column and not self.back

    @property
    def start(self) -> tuple[int, int]:
        s = self.source
        if self.back:
            return s.x + s.width - 30 - 24 * self.nth, s.y
        return s.x + s.width, s.y + s.height * (self.nth + 1) // (self.siblings + 1)

    @property
    def path(self) -> str:
        """The SVG path: a curve from the right of the source to the left of the target, out
        and back in on the right within a column, or an arc over the top for a link back."""
        (x1, y1), t = self.start, self.target
        if self.back:
            x2, y2 = t.x + 30, t.y - ARROW
            lift = MARGIN + 4 * self.nth
            return f"M {x1} {y1} C {x1} {lift}, {x2} {lift}, {x2} {y2}"
        if self.aside:
            x2, y2 = t.x + t.width + ARROW, t.y + t.height // 2
            out = x1 + COLUMN_GAP // 2
            return f"M {x1} {y1} C {out} {y1}, {out} {y2}, {x2} {y2}"
        x2, y2 = t.x - ARROW, t.y + t.height // 2
        bend = (x2 - x1) // 2
        return f"M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}"

    @property
    def label(self) -> str:
        mark = "✓" if self.safe else "✗"
        words, more = _clip(self.text, LABEL_UNITS, at_space=True)
        return f"{mark} {words}…" if more else f"{mark} {words}"

    @property
    def title(self) -> str:
        """The link in words, for a screen reader and a pointer's tooltip."""
        if self.choice is None:
            return _("Next: %(target)s") % {"target": self.target.label}
        words = _("Safe choice") if self.safe else _("Risky choice")
        return f"{words}: {self.text} → {self.target.label}"

    @property
    def label_x(self) -> int:
        x1, _y1 = self.start
        return x1 + 6

    @property
    def label_y(self) -> int:
        x1, y1 = self.start
        return MARGIN + 16 + 14 * self.nth if self.back else y1 - 5


@dataclass
class ScenarioPath:
    """One way through, from the first step to an ending, in words."""

    steps: list[tuple[str, str]]  # (step label, the choice taken there, if any)
    decisions: int
    spots: int
    ending: str


@dataclass
class BranchMap:
    nodes: list[Node]
    edges: list[Edge]
    paths: list[ScenarioPath]
    more_paths: bool
    unreached: list[Node]
    unreached_column: int | None
    width: int
    height: int
    path_count: int = 0
    fewest_decisions: int | None = None
    loops: bool = False
    columns: list[tuple[int, str]] = field(default_factory=list)  # (x, heading)

    @property
    def heading_y(self) -> int:
        return MARGIN + HEADING - 10

    @property
    def steps(self) -> list[Node]:
        return [node for node in self.nodes if node.key is not None]

    @property
    def missing(self) -> list[Node]:
        return [node for node in self.nodes if node.key is None]


def path_stats(content: dict[str, Any]) -> tuple[int, int | None]:
    """How many paths lead from the first step to an ending (counted up to PATH_LIMIT), and
    the fewest decisions on one of them (None: no path reaches an ending)."""
    counts = list(islice(audit_paths(sound(content)), PATH_LIMIT))
    return len(counts), min((count.decisions for count in counts), default=None)


def walk_paths(content: dict[str, Any]) -> Iterator[list[tuple[str, int | None]]]:
    """Each path from the first step to an ending as (step key, choice index) pairs, in the
    order and by the rules of audit.paths (a loop is walked once)."""
    scenario = sound(content)
    steps = {step["key"]: step for step in scenario["steps"]}

    def walk(key: str, walked: list[tuple[str, int | None]]) -> Iterator[list[Any]]:
        step = steps.get(key)
        if step is None or any(key == seen for seen, _ in walked):
            return
        kind = step.get("kind")
        if kind == "ending":
            yield [*walked, (key, None)]
        elif kind == "decision":
            for index, choice in enumerate(step["choices"]):
                yield from walk(choice["next"], [*walked, (key, index)])
        else:
            yield from walk(step["next"], [*walked, (key, None)])

    yield from walk(scenario["start"], [])


def branch_map(content: dict[str, Any]) -> BranchMap:
    """The map of a scenario (content-pack form, possibly half-written)."""
    steps = content.get("steps")
    steps = steps if isinstance(steps, list) else []
    by_key = steps_by_key(labelled(steps, "step", "key"))
    numbers: dict[str, int] = {}
    for number, step in enumerate(steps, start=1):
        if (key := _key(step)) is not None:
            numbers.setdefault(key, number)
    edges_by_key = link_graph(by_key)
    start = content.get("start")

    depth: dict[str, int] = {}
    if isinstance(start, str) and start in by_key:
        depth[start] = 0
        queue = deque([start])
        while queue:
            key = queue.popleft()
            for following in edges_by_key[key]:
                if following not in depth:
                    depth[following] = depth[key] + 1
                    queue.append(following)
    reached = reachable(start, edges_by_key) if isinstance(start, str) and start in depth else set()

    nodes: dict[str, Node] = {}
    for key, step in by_key.items():
        kind = str(step.get("kind") or "")
        node = Node(key, step_label(step, numbers[key]), kind, depth.get(key, -1))
        node.reached = key in reached
        node.ports = max(1, len(step_links(step)))
        if kind == "ending" and step.get("outcome") in Outcome.values:
            node.outcome = step["outcome"]
            node.outcome_mark = OUTCOME_MARKS[Outcome(node.outcome)]
            node.outcome_label = str(Outcome(node.outcome).label)
        nodes[key] = node

    edges: list[Edge] = []
    missing: list[Node] = []
    for key, step in by_key.items():
        source = nodes[key]
        for index, target_key in step_links(step):
            target = nodes.get(target_key)
            if target is None:
                column = source.column + 1 if source.reached else -1
                target = Node(None, _("Missing step"), "missing", column, reached=source.reached)
                missing.append(target)
            choice = step["choices"][index] if index is not None else {}
            text = choice.get("text")
            edges.append(
                Edge(
                    source,
                    target,
                    index,
                    choice.get("safe") is True,
                    text if isinstance(text, str) else "",
                )
            )

    # Columns: reached steps by depth, then one column for everything no path reaches.
    all_nodes = [*nodes.values(), *missing]  # in step order, missing steps last
    last = max((node.column for node in all_nodes if node.reached), default=-1)
    unreached_column = last + 1 if any(not node.reached for node in all_nodes) else None
    bottom: dict[int, int] = {}
    for node in all_nodes:
        if not node.reached:
            node.column = last + 1
        node.x = MARGIN + node.column * (NODE_WIDTH + COLUMN_GAP)
        node.y = bottom.get(node.column, MARGIN + HEADING)
        bottom[node.column] = node.y + node.height + ROW_GAP
    columns = max((node.column for node in all_nodes), default=-1) + 1
    width = 2 * MARGIN + columns * NODE_WIDTH + max(columns - 1, 0) * COLUMN_GAP
    if any(edge.aside and edge.source.column == columns - 1 for edge in edges):
        width += COLUMN_GAP  # the last column's links (and their labels) go out to its right
    height = max(bottom.values(), default=MARGIN + HEADING) - ROW_GAP + MARGIN

    # Each link leaves its step at a point of its own: forward ones down the right side, links
    # back along the top.
    leaving: dict[tuple[int, bool], list[Edge]] = {}
    for edge in edges:
        leaving.setdefault((id(edge.source), edge.back), []).append(edge)
    for (_source, back), group in leaving.items():
        # Ordered by where they go (top to bottom, or left to right above), so links from one
        # step never cross each other.
        group.sort(key=lambda edge: (-edge.target.x, edge.target.y) if back else edge.target.y)
        for nth, edge in enumerate(group):
            edge.nth, edge.siblings = nth, len(group)

    taken = {step["key"]: step for step in sound(content)["steps"]}  # as walk_paths reads them
    paths: list[ScenarioPath] = []
    more = False
    for walked in walk_paths(content):
        if len(paths) == MAX_LISTED_PATHS:
            more = True
            break
        paths.append(_in_words(walked, taken, nodes))
    counts, fewest = path_stats(content)
    return BranchMap(
        nodes=all_nodes,
        edges=edges,
        paths=paths,
        more_paths=more,
        unreached=[node for node in nodes.values() if not node.reached],
        unreached_column=unreached_column,
        width=max(width, NODE_WIDTH + 2 * MARGIN),
        height=height,
        path_count=counts,
        fewest_decisions=fewest,
        loops=any(edge.back for edge in edges),
        columns=(
            [(MARGIN + unreached_column * (NODE_WIDTH + COLUMN_GAP), str(NOT_REACHED))]
            if unreached_column is not None
            else []
        ),
    )


MAX_LISTED_PATHS = 200  # paths listed under the map


def _clip(text: str, units: int, *, at_space: bool = False) -> tuple[str, str]:
    """Split ``text`` where it fills ``units`` (at a space if ``at_space`` and one is near)."""
    text = " ".join(text.split())
    used = 0
    for i, char in enumerate(text):
        used += 2 if east_asian_width(char) in "WF" else 1
        if used > units:
            space = text.rfind(" ", 0, i + 1) if at_space else -1
            cut = space if space > i // 2 else i
            return text[:cut].rstrip(), text[cut:].strip()
    return text, ""


def _key(step: Any) -> str | None:
    key = step.get("key") if isinstance(step, dict) else None
    return key if isinstance(key, str) else None


def _in_words(
    walked: list[tuple[str, int | None]],
    steps: dict[str, dict[str, Any]],
    nodes: dict[str, Node],
) -> ScenarioPath:
    """A path as its steps' labels, the choice made at each decision, and its ending."""
    said, decisions, spots = [], 0, 0
    for key, index in walked[:-1]:
        step = steps[key]
        choice = ""
        if index is not None:
            decisions += 1
            made = step["choices"][index]
            words = " ".join(str(made.get("text") or "").split())
            safety = _("safe") if made.get("safe") is True else _("risky")
            choice = f"“{words}”, {safety}"
        spots += step.get("kind") == "spot"
        said.append((nodes[key].label, choice))
    ending = nodes[walked[-1][0]]
    outcome = f"{ending.outcome_mark} {ending.outcome_label}".strip()
    return ScenarioPath(
        said, decisions, spots, f"{ending.label} ({outcome})" if outcome else ending.label
    )
