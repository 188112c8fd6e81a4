"""The trust signals a vacancy's words raise, measured on sixty vacancies written as
employers write them in the five languages (tests/data/trust_vacancies.jsonl, one per line
with the signals it should raise; half are sound): every signal
must find at least 0.9 of what it should (recall) and be right at least 0.9 of the time
(precision)."""

import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from jobmatch.trust.signals import missing_essentials, rules, text_signals

SET = Path(__file__).parent / "data" / "trust_vacancies.jsonl"
VACANCIES = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]

FLOOR = 0.9


def _found(row: dict) -> set[str]:
    fields = {k: v for k, v in row.items() if k not in ("language", "expected")}
    vacancy = SimpleNamespace(city=None, **fields)
    return {
        s.code for s in text_signals(row["title"], row["description"]) + missing_essentials(vacancy)
    }


def test_the_set_is_sixty_vacancies_in_five_languages_half_of_them_sound():
    assert len(VACANCIES) >= 60
    languages = Counter(v["language"] for v in VACANCIES)
    assert languages == dict.fromkeys(["en", "fr", "ar", "az", "ru"], 12)
    assert sum(1 for v in VACANCIES if not v["expected"]) == len(VACANCIES) // 2


def test_every_signal_keeps_its_precision_and_recall_on_the_set(app, capsys):
    hit, wrong, missed = Counter(), Counter(), Counter()
    with app.test_request_context():
        for row in VACANCIES:
            found, expected = _found(row), set(row["expected"])
            hit.update(found & expected)
            wrong.update(found - expected)
            missed.update(expected - found)
    signals = sorted({code for row in VACANCIES for code in row["expected"]})
    lines = ["| signal | expected | found right | found wrongly | missed | precision | recall |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    scores = {}
    for code in signals:
        precision = hit[code] / ((hit[code] + wrong[code]) or 1)
        recall = hit[code] / ((hit[code] + missed[code]) or 1)
        scores[code] = (precision, recall)
        lines.append(f"| {code} | {hit[code] + missed[code]} | {hit[code]} | {wrong[code]} | "
                     f"{missed[code]} | {precision:.2f} | {recall:.2f} |")  # fmt: skip
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert set(signals) >= {"money", "off_platform", "too_good", "discrimination",
                            "missing_pay", "missing_place", "missing_duties"}  # fmt: skip
    low = {c: s for c, s in scores.items() if min(s) < FLOOR}
    assert not low, f"signals under {FLOOR}: {low}"


@pytest.mark.parametrize(
    "text, grounds",
    [
        ("Только девушки до 30 лет", ["age", "gender"]),
        ("Yalnız kişilər, subay", ["gender", "marital"]),
        ("للذكور فقط", ["gender"]),
        ("Femme de moins de 30 ans", ["age"]),
        ("Male only, attractive candidates", ["gender", "appearance"]),
    ],
)
def test_a_discriminating_requirement_names_its_grounds_and_the_words(app, text, grounds):
    with app.test_request_context():
        [signal] = text_signals("", text)
    assert signal.code == "discrimination" and signal.weight > 0
    for ground in grounds:
        assert {"age": "age", "gender": "gender", "marital": "marital status",
                "appearance": "appearance"}[ground] in signal.reason  # fmt: skip
    assert signal.evidence and all(e in text.casefold() for e in signal.evidence)


def test_the_rules_come_from_a_data_file_per_language():
    from jobmatch.trust.signals import RULES

    assert {p.stem for p in RULES.glob("*.json")} == {"common", "en", "fr", "ar", "az", "ru"}
    assert {"money", "off_platform", "too_good", "discrimination:age"} <= set(rules())
