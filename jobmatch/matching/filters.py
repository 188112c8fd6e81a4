"""What a filter asks of each indexed document, held in memory beside its index (and,
in `postings`, which occupations each holds, for the occupation channel).

A match must not read every open vacancy or every visible job seeker from the database
before the index is asked: at a national service's size that alone takes seconds. So the
facts a filter looks at (open or not and until when, region, contract type, languages,
pay, published when; visible, anonymised) are kept as arrays over id space, one slot
per id, and a filter becomes a boolean mask in a few vector operations. The mask is
handed to FAISS as a bitmap selector, and to the occupation and title channels.

The table is kept in step the way the vectors are: built with the index from the
database, saved inside each snapshot, and brought up to date by the change log (an
index job logs every id it touched, a change of region or status as well as of text).
Expiry needs no write: a vacancy whose last day has passed fails the date test.

Between a commit and the index job, the table may lag by a second or two; the facts of
the few candidates that reach the re-ranking are read again from the database, and the
filter is applied to them once more (`admits`), so nothing closed or hidden is shown.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from jobmatch.database import among, utcnow
from jobmatch.extensions import db
from jobmatch.matching.postings import Postings
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Vacancy

NEVER = np.iinfo(np.int32).max  # the day a vacancy without an end date expires
UNSET = -1  # no pay given, never published
CODED = ("region", "contract", "language")  # text columns held as small integer codes
READ_CHUNK = 50_000  # rows read at a time when the whole table is read
FILE = "facts.npz"

SCHEMA = {
    "vacancy": {
        "present": np.bool_,
        "published": np.bool_,
        "expires": np.int32,  # the last open day, as a date ordinal
        "region": np.int16,
        "contract": np.int16,
        "languages": np.uint64,  # one bit per language code
        "pays": np.int64,  # the most the vacancy may pay a month
        "published_at": np.int64,  # seconds since 1970 (UTC)
    },
    "seeker": {
        "present": np.bool_,
        "visible": np.bool_,
        "anonymised": np.bool_,
        "region": np.int16,
        "languages": np.uint64,
    },
}


@dataclass
class VacancyFilter:
    """Which vacancies may be shown: open ones, optionally by region, contract, language."""

    region: str | None = None
    contract_type: str | None = None
    language: str | None = None
    salary_at_least: int | None = None  # the vacancy may pay this much a month (AZN)
    regions: tuple[str, ...] | None = None  # in one of these (a distance from a region)
    published_after: datetime | None = None
    ids: tuple[int, ...] | None = None  # only these
    open_only: bool = True

    def admits(self, row, today: date | None = None) -> bool:
        """Whether a row read from the database (see `rows`) passes, by the same rules
        (the open rule is the vacancy's own, `Vacancy.is_open`, applied to the row)."""
        pays = Vacancy.pays(row)
        return not (
            (self.open_only and not Vacancy.is_open(row, today))
            or (self.region and row.region != self.region)
            or (self.regions is not None and row.region not in self.regions)
            or (self.contract_type and row.contract_type != self.contract_type)
            or (self.language and self.language not in _languages(row.languages))
            or (self.salary_at_least and (pays is None or pays < self.salary_at_least))
            or (
                self.published_after is not None
                and (row.published_at is None or row.published_at <= self.published_after)
            )
            or (self.ids is not None and row.id not in set(self.ids))
        )


@dataclass
class SeekerFilter:
    """Which job seekers may be shown: those who agreed to be found (unless staff ask)."""

    region: str | None = None
    language: str | None = None
    ids: tuple[int, ...] | None = None  # only these
    visible_only: bool = True

    def admits(self, row) -> bool:
        return not (
            row.anonymised_at is not None
            or (self.visible_only and not row.visible)
            or (self.region and row.region != self.region)
            or (self.language and self.language not in _languages(row.languages))
            or (self.ids is not None and row.id not in set(self.ids))
        )


def _languages(value) -> list[str]:
    """A languages column as read: a list, JSON text (when cast to text) or nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        return re.findall(r'"([^"\\]*)"', value)
    return list(value)


def _seconds(moment: datetime | None) -> int:
    return UNSET if moment is None else int((moment - datetime(1970, 1, 1)).total_seconds())


def rows(entity: str, ids: Iterable[int] | None = None) -> sa.Select:
    """The query of the columns a filter looks at (languages as raw JSON text: decoding a
    million small lists costs more than the rest of the read)."""
    if entity == "vacancy":
        query = sa.select(
            Vacancy.id,
            Vacancy.status,
            Vacancy.expires_on,
            Vacancy.region,
            Vacancy.contract_type,
            sa.cast(Vacancy.languages, sa.Text).label("languages"),
            Vacancy.salary_min,
            Vacancy.salary_max,
            Vacancy.published_at,
        )
        key = Vacancy.id
    else:
        query = sa.select(
            SeekerProfile.id,
            SeekerProfile.findable_clause().label("visible"),
            Person.anonymised_at,
            Person.region,
            sa.cast(Person.languages, sa.Text).label("languages"),
        ).join(Person, Person.id == SeekerProfile.person_id)
        key = SeekerProfile.id
    if ids is not None:
        query = query.where(among(key, ids))
    return query.order_by(key)


class Facts:
    """The filterable facts of one kind of document, as arrays over id space."""

    def __init__(self, entity: str):
        self.entity = entity
        self.columns = {name: np.zeros(0, dtype) for name, dtype in SCHEMA[entity].items()}
        self.codes: dict[str, dict[str, int]] = {name: {} for name in CODED}
        self._language_bits: dict[str, int] = {}  # raw JSON text -> bits, read once
        self.postings = Postings(entity)  # who holds which occupation

    # --- reading from the database ------------------------------------------------

    @classmethod
    def read(cls, entity: str, progress=lambda n: None) -> "Facts":
        """Every row's facts, read in chunks by id."""
        facts, after = cls(entity), 0
        facts.postings = Postings.read(entity)
        key = Vacancy.id if entity == "vacancy" else SeekerProfile.id
        while True:
            chunk = db.session.execute(rows(entity).where(key > after).limit(READ_CHUNK)).all()
            if not chunk:
                return facts
            facts._store(chunk)
            after = chunk[-1].id
            progress(len(chunk))

    def update(self, ids: Iterable[int]) -> None:
        """Read the facts of `ids` again; an id whose row is gone is no longer present."""
        ids = sorted({int(i) for i in ids})
        if not ids:
            return
        found = db.session.execute(rows(self.entity, ids)).all()
        self.postings.update(ids)
        self._grow(max(ids))
        self.columns["present"][ids] = False
        self._store(found)

    def _store(self, found) -> None:
        if not found:
            return
        ids = np.fromiter((r.id for r in found), dtype=np.int64, count=len(found))
        self._grow(int(ids.max()))
        columns = self.columns
        columns["present"][ids] = True
        columns["region"][ids] = [self._code("region", r.region) for r in found]
        columns["languages"][ids] = [self._bits(r.languages) for r in found]
        if self.entity == "vacancy":
            columns["published"][ids] = [r.status == "published" for r in found]
            columns["expires"][ids] = [
                NEVER if r.expires_on is None else r.expires_on.toordinal() for r in found
            ]
            columns["contract"][ids] = [self._code("contract", r.contract_type) for r in found]
            columns["pays"][ids] = [
                UNSET if (pays := Vacancy.pays(r)) is None else pays for r in found
            ]
            columns["published_at"][ids] = [_seconds(r.published_at) for r in found]
        else:
            columns["visible"][ids] = [bool(r.visible) for r in found]
            columns["anonymised"][ids] = [r.anonymised_at is not None for r in found]

    def _grow(self, largest: int) -> None:
        size = len(self.columns["present"])
        if largest < size:
            return
        new_size = max(largest + 1, int(size * 1.5) + 1024)
        for name, column in self.columns.items():
            grown = np.zeros(new_size, dtype=column.dtype)
            grown[:size] = column
            self.columns[name] = grown

    def _code(self, column: str, value: str | None) -> int:
        if not value:
            return 0
        codes = self.codes[column]
        if value not in codes:
            codes[value] = len(codes) + 1
        return codes[value]

    def _bits(self, raw) -> int:
        key = raw if isinstance(raw, str) else json.dumps(raw)
        bits = self._language_bits.get(key)
        if bits is None:
            bits = 0
            for code in _languages(raw):
                number = self._code("language", code)
                if number <= 64:  # reference.LANGUAGES has 8: a 64-bit word holds them
                    bits |= 1 << (number - 1)
            self._language_bits[key] = bits
        return bits

    # --- asking -------------------------------------------------------------------

    def mask(self, flt, today: date | None = None) -> np.ndarray:
        """The ids that pass `flt`, as a boolean array over id space."""
        c = self.columns
        keep = c["present"].copy()
        if self.entity == "vacancy":
            self._vacancy_rules(keep, flt, today or utcnow().date())
        else:
            keep &= ~c["anonymised"]
            if flt.visible_only:
                keep &= c["visible"]
        if flt.region:
            keep &= c["region"] == self.codes["region"].get(flt.region, -1)
        if flt.language:
            number = self.codes["language"].get(flt.language, 0)
            if 0 < number <= 64:
                keep &= (c["languages"] & np.uint64(1 << (number - 1))) != 0
            else:  # a language nobody uses
                keep[:] = False
        if flt.ids is not None:
            only = np.zeros(len(keep), dtype=bool)
            wanted = np.asarray(flt.ids, dtype=np.int64)
            only[wanted[(wanted >= 0) & (wanted < len(keep))]] = True
            keep &= only
        return keep

    def _vacancy_rules(self, keep: np.ndarray, flt, today: date) -> None:
        c = self.columns
        if flt.open_only:  # Vacancy.is_open, over the arrays
            keep &= c["published"]
            keep &= c["expires"] >= today.toordinal()
        if flt.contract_type:
            keep &= c["contract"] == self.codes["contract"].get(flt.contract_type, -1)
        if flt.regions is not None:
            codes = [self.codes["region"][r] for r in flt.regions if r in self.codes["region"]]
            keep &= np.isin(c["region"], np.asarray(codes, dtype=c["region"].dtype))
        if flt.salary_at_least:
            keep &= c["pays"] >= flt.salary_at_least
        if flt.published_after is not None:
            keep &= c["published_at"] > _seconds(flt.published_after)

    # --- saving beside a snapshot -------------------------------------------------

    def save(self, folder: Path) -> None:
        with open(Path(folder) / FILE, "wb") as out:
            np.savez(out, codes=json.dumps(self.codes), **self.columns, **self.postings.arrays())

    @classmethod
    def load(cls, folder: Path, entity: str) -> "Facts | None":
        """The facts saved in a snapshot folder; None when it has none (an older one)."""
        path = Path(folder) / FILE
        if not path.exists():
            return None
        with np.load(path) as saved:
            facts = cls(entity)
            facts.codes = json.loads(str(saved["codes"]))
            facts.columns = {name: saved[name] for name in SCHEMA[entity]}
            if "posting_keys" in saved:
                facts.postings = Postings.from_arrays(entity, saved)
            else:  # saved before the postings were
                facts.postings = Postings.read(entity)
        return facts
