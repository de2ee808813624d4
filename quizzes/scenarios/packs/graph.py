"""The step graph of a scenario: every step reachable from the start, every path reaching an
ending, no cycle without a way out. Standard library only (the validator is also a CLI)."""

from collections import deque
from collections.abc import Iterator
from typing import Any

from quizzes.scenarios.packs.wording import Labelled, label_of, quoted, step_kind

NON_ENDING_KINDS = frozenset({"message", "narration", "decision", "spot"})


def graph_problems(start: Any, steps: Labelled) -> Iterator[str]:
    """Check links, reachability, cycles and that every path ends in an ending."""
    by_key = steps_by_key(steps)
    edges = link_graph(by_key)
    for key, step in by_key.items():
        for where, target in _step_links(step):
            if target not in by_key:
                yield f"step {quoted(key)}: {where}next step {quoted(target)} does not exist"
        if step_kind(step) in NON_ENDING_KINDS and not _step_links(step):
            yield (
                f"step {quoted(key)}: is not an ending and has no next step, "
                "so this path never reaches an ending"
            )

    if isinstance(start, str):
        if start in by_key:
            reached = reachable(start, edges)
            for key in by_key:
                if key not in reached:
                    yield f"step {quoted(key)}: not reachable from start step {quoted(start)}"
        else:
            yield f"start step {quoted(start)} does not exist"

    # Start from `start` so a cycle is reported in the order a player would walk it.
    roots = [start] if isinstance(start, str) and start in by_key else []
    for cycle in find_cycles(edges, [*roots, *by_key]):
        yield f"steps form a cycle: {_walk(cycle)}"


def _walk(cycle: list[str], limit: int = 12) -> str:
    """Show a cycle as "a -> b -> a"; a long one by its first steps and its length."""
    if len(cycle) <= limit:
        return " -> ".join(cycle)
    return f"{' -> '.join(cycle[:limit])} -> … ({len(cycle) - 1} steps in all)"


def steps_by_key(steps: Labelled) -> dict[str, dict[str, Any]]:
    """Each step by its key (the first one, if a key is used twice); keyless steps left out."""
    by_key: dict[str, dict[str, Any]] = {}
    for _, step in steps:
        if isinstance(key := step.get("key"), str):
            by_key.setdefault(key, step)
    return by_key


def step_links(step: dict[str, Any]) -> list[tuple[int | None, str]]:
    """List (choice index, target) for each outgoing link; the index is None for a step's own
    "next" (shared with the editors' checks and the branch map, which name the choice)."""
    kind = step_kind(step)
    if kind == "decision":
        choices = step.get("choices")
        return [
            (index, target)
            for index, choice in enumerate(choices if isinstance(choices, list) else [])
            if isinstance(choice, dict) and isinstance(target := choice.get("next"), str)
        ]
    if kind in NON_ENDING_KINDS and isinstance(target := step.get("next"), str):
        return [(None, target)]
    return []


def link_graph(by_key: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The links between existing steps, by step key (links to missing steps left out)."""
    return {
        key: [target for _, target in step_links(step) if target in by_key]
        for key, step in by_key.items()
    }


def _step_links(step: dict[str, Any]) -> list[tuple[str, str]]:
    """List (where, target) for each outgoing link; `where` names the choice, if any."""
    links = []
    for index, target in step_links(step):
        choice = "" if index is None else label_of("choice", step["choices"][index], "key", index)
        links.append((f"{choice}: " if choice else "", target))
    return links


def reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    """Return the step keys reachable from start (breadth-first)."""
    seen = {start}
    queue = deque([start])
    while queue:
        for target in edges[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def find_cycles(edges: dict[str, list[str]], roots: list[str]) -> Iterator[list[str]]:
    """Yield each cycle found by depth-first search, as the list of keys walked round it."""
    # Iterative, because a long generated chain of steps would exhaust Python's recursion limit.
    finished: set[str] = set()
    for root in roots:
        if root in finished:
            continue
        path = [root]
        on_path = {root}
        stack = [iter(edges[root])]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                finished.add(path[-1])
                on_path.discard(path.pop())
                stack.pop()
            elif target in on_path:
                yield [*path[path.index(target) :], target]
            elif target not in finished:
                path.append(target)
                on_path.add(target)
                stack.append(iter(edges[target]))
