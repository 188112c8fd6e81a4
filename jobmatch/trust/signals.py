"""What a vacancy's own words say about it: the signals read from its text alone.

The patterns live in data files, one per language (`rules/<language>.json`, plus
`rules/common.json` for what reads the same in every language: messengers, personal
mailboxes, mobile numbers). Every language's patterns are tried on every vacancy: an
advertisement in Russian may carry an Azerbaijani line, and its language may be guessed
wrong. Each signal says, in plain words, what was found and where.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jobmatch.i18n import _l

RULES = Path(__file__).with_name("rules")
LANGUAGES = ("en", "fr", "ar", "az", "ru")

# The text signals, what each means, and how much it weighs against the trust score.
TEXT_SIGNALS = {
    "money": (_l("It asks candidates for money (a fee, a deposit, paid documents)."), 60),
    "off_platform": (
        _l("It moves the contact off the service (a messenger, a private e-mail or phone)."),
        30,
    ),
    "too_good": (_l("It promises easy or guaranteed money."), 30),
    "discrimination": (_l("It sets a requirement the law does not allow: %(grounds)s."), 40),
}
GROUNDS = {
    "age": _l("age"),
    "gender": _l("gender"),
    "marital": _l("marital status or children"),
    "nationality": _l("nationality"),
    "religion": _l("religion"),
    "appearance": _l("appearance"),
}
DUTIES_WORDS = 12  # fewer words than this in the description: the duties are not said


@dataclass
class Signal:
    code: str  # money, off_platform, too_good, discrimination, missing_pay, ...
    weight: int  # taken from the score (negative: added, a sign of standing)
    reason: str  # plain words, in the current language
    evidence: list[str] = field(default_factory=list)  # the words that were found


@cache
def rules() -> dict[str, list[re.Pattern]]:
    """signal (or discrimination ground) -> compiled patterns from every language's file."""
    found: dict[str, list[re.Pattern]] = {}
    for name in ("common", *LANGUAGES):
        data = json.loads((RULES / f"{name}.json").read_text(encoding="utf-8"))
        for key, patterns in data.items():
            if key.startswith("_"):
                continue
            groups = patterns if isinstance(patterns, dict) else {key: patterns}
            for group, items in groups.items():
                target = f"discrimination:{group}" if isinstance(patterns, dict) else group
                found.setdefault(target, []).extend(re.compile(p, re.I) for p in items)
    return found


def _hits(text: str, patterns: list[re.Pattern]) -> list[str]:
    return [m.group(0).strip() for p in patterns for m in [p.search(text)] if m]


def text_signals(title: str, description: str) -> list[Signal]:
    """The signals the vacancy's words carry."""
    text = f"{title}\n{description}".casefold()
    found = rules()
    signals = []
    for code in ("money", "off_platform", "too_good"):
        hits = _hits(text, found.get(code, []))
        if hits:
            reason, weight = TEXT_SIGNALS[code]
            signals.append(Signal(code, weight, str(reason), hits[:3]))
    grounds, evidence = [], []
    for ground in GROUNDS:
        hits = _hits(text, found.get(f"discrimination:{ground}", []))
        if hits:
            grounds.append(ground)
            evidence += hits[:2]
    if grounds:
        reason, weight = TEXT_SIGNALS["discrimination"]
        names = ", ".join(str(GROUNDS[g]) for g in grounds)
        signals.append(Signal("discrimination", weight, str(reason) % {"grounds": names},
                              evidence[:4]))  # fmt: skip
    return signals


def missing_essentials(vacancy) -> list[Signal]:
    """What a real vacancy says and this one does not: the pay, the place, the duties."""
    signals = []
    if vacancy.salary_min is None and vacancy.salary_max is None:
        signals.append(Signal("missing_pay", 10, str(_l("It does not say what it pays."))))
    if not vacancy.region and not (vacancy.city or "").strip():
        signals.append(Signal("missing_place", 10, str(_l("It does not say where the work is."))))
    if len((vacancy.description or "").split()) < DUTIES_WORDS:
        signals.append(Signal("missing_duties", 10, str(_l("It hardly says what the work is."))))
    return signals
