"""The import and match commands, end to end with the bundled model."""

import json

import pytest

from jobmatch.demo.content import OCCUPATIONS
from jobmatch.extensions import db
from jobmatch.taxonomy import services as taxonomy

JOBS = ["cook", "welder", "accountant", "bus driver", "pharmacist", "translator"]
SEEKERS = {
    "S-fr": ("fr", "cook"),
    "S-ar": ("ar", "accountant"),
    "S-az": ("az", "welder"),
    "S-ru": ("ru", "bus driver"),
}


@pytest.fixture
def files(app, tmp_path, mini_esco, model_folder):
    app.config.update(JOBMATCH_MODEL=str(model_folder), EMBEDDINGS_PATH=str(tmp_path / "emb"))
    taxonomy.load(mini_esco)
    db.session.commit()
    vacancies = tmp_path / "vacancies.jsonl"
    rows = [
        {
            "external_id": f"V-{job}",
            "title": job.capitalize(),
            "description": f"We are hiring. You will {OCCUPATIONS[job][5]['en']}.",
            "employer": "Xəzər Holding",
            "region": "baku",
            "language": "en",
        }
        for job in JOBS
    ]
    vacancies.write_text(
        "\n".join(json.dumps(r) for r in rows[:2])
        + "\n{broken\n"
        + "\n".join(json.dumps(r) for r in rows[2:])
        + "\n"
    )
    seekers = tmp_path / "seekers.jsonl"
    seekers.write_text(
        "\n".join(
            json.dumps(
                {
                    "external_id": ext,
                    "desired_title": OCCUPATIONS[job][0]
                    if lang == "az"
                    else OCCUPATIONS[job][1]
                    if lang == "ru"
                    else job,
                    "cv_text": OCCUPATIONS[job][5][lang],
                    "languages": [lang],
                },
                ensure_ascii=False,
            )
            for ext, (lang, job) in SEEKERS.items()
        )
    )
    return vacancies, seekers, tmp_path


def test_import_then_match_in_both_directions(runner, files):
    vacancies, seekers, tmp = files
    first = runner.invoke(args=["jobmatch", "import", "vacancies", str(vacancies)])
    assert first.exit_code == 0, first.output
    assert "line 3: not valid JSON" in first.output
    assert "vacancies: 6 created, 0 updated, 0 unchanged, 1 rejected" in first.output
    again = runner.invoke(args=["jobmatch", "import", "vacancies", str(vacancies)])
    assert "vacancies: 0 created, 0 updated, 6 unchanged, 1 rejected" in again.output
    assert runner.invoke(args=["jobmatch", "import", "seekers", str(seekers)]).exit_code == 0

    out = tmp / "matches.jsonl"
    result = runner.invoke(args=["jobmatch", "match", "seekers", "--k", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert {line["seeker"] for line in lines} == set(SEEKERS)
    for line in lines:
        assert len(line["vacancies"]) == 3
        assert line["vacancies"][0] == f"V-{SEEKERS[line['seeker']][1]}", line

    result = runner.invoke(args=["jobmatch", "match", "vacancies", "--k", "2"])
    reverse = {
        json.loads(x)["vacancy"]: json.loads(x)["seekers"]
        for x in result.output.splitlines()
        if x.startswith("{")
    }
    assert reverse["V-cook"][0] == "S-fr" and reverse["V-welder"][0] == "S-az"

    one = runner.invoke(args=["jobmatch", "match", "seeker", "S-ar", "--k", "2", "--json"])
    data = json.loads(one.output)
    assert data["vacancies"][0]["vacancy"] == "V-accountant"
    assert "The same occupation: accountant." in data["vacancies"][0]["why"]
    assert runner.invoke(args=["jobmatch", "match", "seeker", "nobody"]).exit_code == 1


def test_a_file_with_only_bad_lines_fails(runner, tmp_path, app):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "no id"}\n[1, 2]\n')
    result = runner.invoke(args=["jobmatch", "import", "vacancies", str(bad), "--no-index"])
    assert result.exit_code == 1
    assert "line 1: external_id is missing" in result.output
    assert "line 2: a line must be a JSON object" in result.output
