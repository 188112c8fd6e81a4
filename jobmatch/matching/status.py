"""How fresh this process's indexes are: for the admin page and `/healthz`-style checks."""

from datetime import UTC, datetime

import sqlalchemy as sa

from jobmatch.database import end_read
from jobmatch.extensions import db
from jobmatch.matching import store
from jobmatch.matching.engine import ENTITIES, engine
from jobmatch.matching.models import IndexChange
from jobmatch.search.index import current_info


def index_status() -> list[dict]:
    """Per entity: vectors held here, stored vectors, log lines not yet applied, the snapshot."""
    eng = engine()
    rows = []
    for entity in ENTITIES:
        try:
            index = eng.index(entity)
        except Exception as error:  # no model, no snapshot: the page still shows the jobs
            db.session.rollback()
            rows.append({"entity": entity, "error": str(error)})
            continue
        on_disk = current_info(eng.folder(entity))
        log_end = store.log_position(entity, eng.model_name)
        rows.append(
            {
                "entity": entity,
                "kind": index.kind,
                "held": index.count(),
                "stored": store.count(entity, eng.model_name),
                "position": index.info.position,
                "behind": _lines_after(entity, eng.model_name, index.info.position, log_end),
                "snapshot_version": on_disk[1].version if on_disk else None,
                "snapshot_at": datetime.fromtimestamp(on_disk[1].saved_at, UTC).replace(tzinfo=None)
                if on_disk
                else None,
                "generation_at": datetime.fromtimestamp(index.info.generation / 1e6, UTC).replace(
                    tzinfo=None
                )
                if index.info.generation
                else None,
            }
        )
    end_read()
    return rows


def _lines_after(entity: str, model: str, position: int, end: int) -> int:
    if end <= position:
        return 0

    return db.session.scalar(
        sa.select(sa.func.count()).where(
            IndexChange.entity_type == entity,
            IndexChange.model == model,
            IndexChange.id > position,
        )
    )
