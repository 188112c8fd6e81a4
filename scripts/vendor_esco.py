"""Reduce the ESCO CSV release to the columns jobmatch uses.

Usage: python scripts/vendor_esco.py ../shared/data/esco jobmatch/data/esco

The output (gzipped CSV, one file per concept kind) is committed and read by
`flask jobmatch taxonomy load`; this script is how it was made.
"""

import csv
import gzip
import sys
from pathlib import Path

PREFIX = "http://data.europa.eu/esco/"


def read(path: Path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def short(uri: str) -> str:
    """Drop the common ESCO prefix: 'occupation/<uuid>' stays unique and readable."""
    return uri.removeprefix(PREFIX)


def alt(value: str | None) -> str:
    return "|".join(s.strip() for s in (value or "").splitlines() if s.strip())


def write(path: Path, header: list[str], rows) -> int:
    count = 0
    with gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=9) as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for row in rows:
            out.writerow(row)
            count += 1
    return count


def main(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    fr = {r["conceptUri"]: r for r in read(src / "occupations_fr_v1.0.csv.gz")}
    ar = {r["conceptUri"]: r for r in read(src / "occupations_ar_v1.0.csv.gz")}
    occupations = [
        (
            short(r["conceptUri"]),
            r["code"],
            r["iscoGroup"],
            r["preferredLabel"],
            alt(r["altLabels"]),
            fr.get(r["conceptUri"], {}).get("preferredLabel", ""),
            alt(fr.get(r["conceptUri"], {}).get("altLabels")),
            ar.get(r["conceptUri"], {}).get("preferredLabel", ""),
            " ".join((r["description"] or "").split()),
        )
        for r in read(src / "occupations_en.csv.gz")
        if r["status"] == "released"
    ]
    n = write(
        dst / "occupations.csv.gz",
        [
            "uri",
            "code",
            "isco_group",
            "label_en",
            "alt_en",
            "label_fr",
            "alt_fr",
            "label_ar",
            "description_en",
        ],
        sorted(occupations),
    )
    print(f"occupations: {n}")
    skills_fr = {r["conceptUri"]: r for r in read(src / "skills_fr_v1.0.csv.gz")}
    skills = [
        (
            short(r["conceptUri"]),
            r["skillType"],
            r["reuseLevel"],
            r["preferredLabel"],
            alt(r["altLabels"]),
            " ".join((r["description"] or "").split()),
            skills_fr.get(r["conceptUri"], {}).get("preferredLabel", ""),
            alt(skills_fr.get(r["conceptUri"], {}).get("altLabels")),
        )
        for r in read(src / "skills_en.csv.gz")
        if r["status"] == "released"
    ]
    n = write(
        dst / "skills.csv.gz",
        [
            "uri",
            "skill_type",
            "reuse_level",
            "label_en",
            "alt_en",
            "description_en",
            "label_fr",
            "alt_fr",
        ],
        sorted(skills),
    )
    print(f"skills: {n}")
    relations = sorted(
        {
            (short(r["occupationUri"]), short(r["skillUri"]), r["relationType"])
            for r in read(src / "occupationSkillRelations.csv.gz")
        }
    )
    n = write(dst / "occupation_skills.csv.gz", ["occupation", "skill", "relation"], relations)
    print(f"occupation-skill relations: {n}")
    groups = sorted((r["code"], r["preferredLabel"]) for r in read(src / "ISCOGroups_en.csv.gz"))
    n = write(dst / "isco_groups.csv.gz", ["code", "label_en"], groups)
    print(f"ISCO groups: {n}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
