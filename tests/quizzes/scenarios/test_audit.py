"""The content audit (quizzes/scenarios/audit.py, manage.py audit_content): each limit catches
a pack made to break it, and a pack within every limit passes."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from quizzes.scenarios.audit import audit_pack, paths


def decision(key: str, safe_text: str, unsafe_text: str, *, then: str, safe_first=False) -> dict:
    safe = {"key": "s", "text": safe_text, "safe": True, "feedback": "Yes.", "next": then}
    unsafe = {"key": "u", "text": unsafe_text, "safe": False, "feedback": "No.", "next": then}
    return {
        "key": key,
        "kind": "decision",
        "prompt": "What now?",
        "choices": [safe, unsafe] if safe_first else [unsafe, safe],
    }


def spot(key: str, flags: int, harmless: int, *, then: str) -> dict:
    options = [{"key": f"f{i}", "quote": "x", "is_flag": True} for i in range(flags)]
    options += [{"key": f"n{i}", "quote": "y", "is_flag": False} for i in range(harmless)]
    return {"key": key, "kind": "spot", "text": "x y", "options": options, "next": then}


def scenario(slug: str, *, genuine: bool = False) -> dict:
    """Three decisions on every path; the safe option is never the longest, and the shortest
    in one decision of three (the others tie)."""
    return {
        "slug": slug,
        "genuine": genuine,
        "start": "d1",
        "steps": [
            decision("d1", "Ask my mum.", "Reply and ask more.", then="d2"),
            decision("d2", "Call the bank", "Tap the link.", then="p1"),
            spot("p1", flags=1, harmless=1, then="d3"),
            decision("d3", "Say no.", "Send it", then="end", safe_first=True),
            {"key": "end", "kind": "ending", "outcome": "safe", "text": "Done."},
        ],
    }


def good_pack() -> dict:
    return {
        "format": "awareness-content-pack",
        "version": 2,
        "language": "en",
        "topics": [],
        "scenarios": [scenario(f"s{i}", genuine=i < 3) for i in range(10)],
        "check_items": [],
    }


def test_a_pack_within_every_limit_passes():
    audit = audit_pack(good_pack())
    assert audit.problems() == []
    assert (audit.scenarios, audit.genuine, audit.decisions) == (10, 3, 30)
    assert (audit.longest_is_safe, audit.shortest_path, audit.flag_share) == (0, 3, 0.5)
    assert audit.shortest_is_safe == 10


def test_the_shortest_option_being_safe_is_caught():
    pack = good_pack()
    for s in pack["scenarios"][:5]:  # d3 too in half the scenarios: 15 of 30 (50 %)
        s["steps"][3]["choices"][0]["text"] = "No."
    assert audit_pack(pack).problems() == []
    pack["scenarios"][5]["steps"][3]["choices"][0]["text"] = "No."  # 16 of 30 (53 %)
    problems = audit_pack(pack).problems()
    assert len(problems) == 1 and "shortest option in 53%" in problems[0], problems


def test_the_longest_option_being_safe_is_caught():
    pack = good_pack()
    for s in pack["scenarios"][:5]:  # 2 of 3 decisions in half the scenarios: 10 of 30 (33 %)
        for step in s["steps"][:2]:
            for choice in step["choices"]:
                if choice["safe"]:
                    choice["text"] += " And then tell a trusted adult about it right away."
    assert audit_pack(pack).problems() == []
    for s in pack["scenarios"][5:8]:  # 16 of 30 (53 %)
        for step in s["steps"][:2]:
            next(c for c in step["choices"] if c["safe"])["text"] += " And tell an adult now."
    problems = audit_pack(pack).problems()
    assert len(problems) == 1 and "longest option in 53%" in problems[0], problems


def test_a_tie_for_longest_does_not_count():
    pack = good_pack()
    step = pack["scenarios"][0]["steps"][0]
    step["choices"][0]["text"] = step["choices"][1]["text"] = "Same length text."
    assert audit_pack(pack).longest_is_safe == 0


def test_too_few_genuine_scenarios_are_caught():
    pack = good_pack()
    pack["scenarios"][0]["genuine"] = False  # 2 of 10
    problems = audit_pack(pack).problems()
    assert len(problems) == 1 and "20% of scenarios are genuine" in problems[0], problems


@pytest.mark.parametrize("cut", ["d1", "d2"])
def test_a_short_path_is_caught(cut):
    pack = good_pack()
    steps = pack["scenarios"][4]["steps"]
    if cut == "d1":  # the unsafe choice of d1 goes straight to the ending: 1 decision
        steps[0]["choices"][0]["next"] = "end"
    else:  # d2 skips the spot step and the last decision: 2 decisions
        for choice in steps[1]["choices"]:
            choice["next"] = "end"
    audit = audit_pack(pack)
    assert audit.short_path_scenarios == ["s4"]
    assert audit.shortest_path == (1 if cut == "d1" else 2)
    assert any("have a path with fewer than 3 decisions" in p for p in audit.problems())


def test_two_decisions_and_a_spot_step_are_enough():
    pack = good_pack()
    steps = pack["scenarios"][4]["steps"]
    steps[2]["next"] = "end"  # d1, d2, spot, end
    audit = audit_pack(pack)
    assert audit.short_path_scenarios == [] and audit.shortest_path == 2


def test_paths_walk_each_branch_and_stop_at_a_loop():
    s = scenario("loop")
    s["steps"][1]["choices"][1]["next"] = "d1"  # the unsafe choice of d2 goes back to d1
    counts = sorted((c.decisions, c.spots) for c in paths(s))
    assert counts == [(3, 1), (3, 1), (3, 1), (3, 1)]  # the loop adds nothing new


def test_mostly_flag_spot_options_are_caught():
    pack = good_pack()
    for s in pack["scenarios"]:
        s["steps"][2] = spot("p1", flags=2, harmless=1, then="d3")
    problems = audit_pack(pack).problems()
    assert len(problems) == 1 and "67% of spot options are flags" in problems[0], problems


def test_the_command_prints_the_figures_and_fails_past_a_limit(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(good_pack()), encoding="utf-8")
    call_command("audit_content", str(good))
    out = capsys.readouterr().out
    assert "safe choice is the longest option    0% (0)" in out
    assert "genuine scenarios                    30%" in out
    bad_pack = copy.deepcopy(good_pack())
    for s in bad_pack["scenarios"]:
        s["genuine"] = False
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_pack), encoding="utf-8")
    with pytest.raises(CommandError, match="1 pack"):
        call_command("audit_content", str(good), str(bad))
    assert "FAIL" in capsys.readouterr().err


def test_the_command_refuses_a_file_that_is_not_a_pack(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("audit_content", str(broken))
    with pytest.raises(CommandError, match="No such file"):
        call_command("audit_content", str(tmp_path / "missing.json"))
