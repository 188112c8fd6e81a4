"""Write a small slice of the vendored ESCO files: the demo occupations and their skills."""

import csv
import gzip
from pathlib import Path

from jobmatch.demo.content import OCCUPATIONS
from jobmatch.taxonomy.services import DATA_DIR, read_rows


def _write(path: Path, rows: list[dict]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_slice(target: Path) -> Path:
    occupations = [
        r for r in read_rows(DATA_DIR / "occupations.csv.gz") if r["label_en"] in OCCUPATIONS
    ]
    uris = {r["uri"] for r in occupations}
    relations = [
        r for r in read_rows(DATA_DIR / "occupation_skills.csv.gz") if r["occupation"] in uris
    ]
    skill_uris = {r["skill"] for r in relations}
    skills = [r for r in read_rows(DATA_DIR / "skills.csv.gz") if r["uri"] in skill_uris]
    groups = list(read_rows(DATA_DIR / "isco_groups.csv.gz"))
    _write(target / "occupations.csv.gz", occupations)
    _write(target / "skills.csv.gz", skills)
    _write(target / "occupation_skills.csv.gz", relations)
    _write(target / "isco_groups.csv.gz", groups)
    return target
