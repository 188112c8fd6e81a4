"""Configuration: defaults for the embedded mode, overridden from the environment.

Environment variables are read here and nowhere else. Every setting has a
working default, so `make run` needs none: SQLite under instance/, jobs run
in-process, the bundled offline model.
"""

import json
import os
import secrets
from pathlib import Path

from jobmatch.matching.ranking import (
    DEFAULT_CONGESTION,
    DEFAULT_RELATION_FACTORS,
    DEFAULT_SEMANTIC_RANGE,
    DEFAULT_WEIGHTS,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Embedded defaults; `from_environment` applies overrides."""

    INSTANCE_PATH = str(PROJECT_ROOT / "instance")
    SQLALCHEMY_DATABASE_URI = None  # set from INSTANCE_PATH when left empty
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = None  # None: background jobs run in-process, rate limits in memory
    JOBS_INLINE = False  # True: run jobs at once in the caller (tests)
    INDEX_ON_COMMIT = True  # each committed vacancy or profile change queues its index job
    SECRET_KEY = None  # None: a random key kept in instance/secret_key

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True in production (HTTPS)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # a request, whole; larger ones get 413
    CV_MAX_BYTES = 5 * 1024 * 1024  # a CV file
    # E-mail: SMTP "host:port"; without it, messages are written to instance/outbox/.
    MAIL_SERVER = None
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "jobmatch <no-reply@jobmatch.invalid>"
    MAIL_MAX_ATTEMPTS = 5

    # Login throttling (Flask-Limiter syntax): per client address, and per account and
    # address together (failed attempts only), so others' failures never lock the owner out.
    LOGIN_RATE_LIMIT = "10 per minute"
    # New accounts per client address.
    REGISTER_RATE_LIMIT = "10 per hour"
    # Password-reset e-mails asked for, per client address; how long a reset link works.
    RESET_RATE_LIMIT = "5 per hour"
    PASSWORD_RESET_SECONDS = 3600
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host: the client's
    # address is read through them (0: none, the address is the connection's).
    PROXY_COUNT = 0
    # The REST API (/api/v1): its OpenAPI document, and requests a minute per token (or
    # per address without one).
    API_TITLE = "jobmatch"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    API_RATE_LIMIT = "120 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute"
    RATELIMIT_HEADERS_ENABLED = True

    # An employer whose users open more different people's contact details than this in an
    # hour is stopped and reported to the administrators (job-scam harvesting).
    CONTACT_VIEWS_PER_HOUR = 30
    # Vacancies of unverified employers, or scoring under the threshold (0-100), wait for
    # staff before they are published.
    MODERATION = True
    TRUST_THRESHOLD = 75

    # Languages
    LANGUAGES = ["en", "fr", "ar", "az", "ru"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Baku"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    # Domain rules
    # Azerbaijan's personal identification number (FIN): 7 letters and digits.
    NATIONAL_ID_PATTERN = r"^[0-9A-HJ-NP-Z]{7}$"
    CURRENCY = "AZN"
    PASSWORD_MIN_LENGTH = 10

    # Matching
    MODELS_PATH = str(PROJECT_ROOT / "models")
    JOBMATCH_MODEL = str(PROJECT_ROOT / "models" / "multilingual-e5-small")
    EMBEDDINGS_PATH = str(PROJECT_ROOT / "embeddings")
    EMBED_BATCH_SIZE = 16
    # "auto": bfloat16 where the CPU has AMX or AVX-512 BF16, else float32
    # (JOBMATCH_EMBED_DTYPE=float32|bfloat16 to choose).
    EMBED_DTYPE = "auto"
    # Index: exact below the threshold, then INDEX_ANN_KIND ("hnsw" or "ivf").
    INDEX_KIND = "auto"
    INDEX_EXACT_THRESHOLD = 50_000
    INDEX_ANN_KIND = "hnsw"
    HNSW_M = 32
    HNSW_EF_CONSTRUCTION = 80
    HNSW_EF_SEARCH = 256
    IVF_NPROBE = 16
    # Each process applies the change log at most this often (seconds) before a search;
    # log lines covered by a snapshot are kept this long for processes that lag behind.
    INDEX_REFRESH_SECONDS = 1.0
    INDEX_LOG_RETENTION = 24 * 3600
    # Ranking: weights of the score's components and the cosine band mapped onto 0..1.
    MATCH_WEIGHTS = dict(DEFAULT_WEIGHTS)
    MATCH_SEMANTIC_RANGE = DEFAULT_SEMANTIC_RANGE
    MATCH_CANDIDATES = 100  # retrieved by the channels, fused, then re-ranked
    # The ways candidates are found (jobmatch.matching.channels): "dense" (meaning, FAISS),
    # "occupation" (a shared ESCO occupation, in any language), "lexical" (title words).
    MATCH_CHANNELS = ("dense", "occupation", "lexical")
    MATCH_RELATION_FACTORS = dict(DEFAULT_RELATION_FACTORS)
    # Congestion: a vacancy with many applications in play per open position is shown a
    # little lower in job seekers' recommendations (jobmatch.matching.ranking.damp), so that
    # they spread over more vacancies. Never in the candidate lists employers see.
    CONGESTION_DAMPING = True
    CONGESTION = dict(DEFAULT_CONGESTION)
    # The exposure log (jobmatch.monitoring): what ranked lists showed, for the fairness
    # and outcome reports; kept this many days.
    EXPOSURE_LOG = True
    EXPOSURE_RETENTION_DAYS = 400
    # A search's words and a vacancy this close in meaning at least, or sharing an occupation
    # or title words, are related; below it, a search finds nothing rather than anything.
    # (Words that neither ESCO's labels nor any vacancy use find nothing at all.)
    SEARCH_MIN_SIMILARITY = 0.80
    # Occupation recognition: character n-grams against meaning, when both are at hand.
    RECOGNITION_BLEND = 0.5
    # A request never waits seconds for the sentence model: while it loads (in the background,
    # from the process's start) searches answer by words and say so.
    LOAD_MODEL_IN_REQUEST = False
    # Below this a sentence is unrelated to a label; above it, the closest labels are suggested.
    RECOGNITION_MIN_SIMILARITY = 0.75
    # Structures a process keeps for its life (label tables, title indexes) are moved out of
    # the garbage collector's reach once built: without it, a full collection walking them
    # makes one match in a hundred several times slower (docs/BENCHMARKS.md).
    FREEZE_LONG_LIVED = True
    # Skills in free text: each phrase against every skill's English and French labels
    # (character n-grams) blended with meaning; a phrase scoring this much names the skill.
    SKILL_RECOGNITION_BLEND = 0.5
    SKILL_RECOGNITION_MIN = 0.6
    # An "other skill" a person types is linked to the ESCO skill it scores this much with
    # (and kept as typed, whether linked or not).
    OTHER_SKILL_LINK_MIN = 0.7
    # The first suggestion asked for before the ESCO labels are embedded queues that work
    # (a few minutes, once); until it is done, suggestions come from labels named in the text.
    CONCEPTS_ON_DEMAND = True
    # Links in e-mails and notices made by background jobs (no request to take them from).
    PUBLIC_URL = "http://127.0.0.1:5000"
    # Saved-search alerts: a new vacancy is announced when it would be on the first page of
    # the search run now, and (for a search with words) at least this close in meaning.
    # The value suits the bundled model (multilingual-e5-small); see docs/ARCHITECTURE.md.
    ALERT_RANK = 20
    ALERT_MIN_SIMILARITY = 0.83
    SAVED_SEARCHES_MAX = 20
    # How long the labour contracts of a person deleted at their request are kept, in years
    # after the contract ended: personnel records are archived for 75 years under the usual
    # archive rules. Set it to what the law requires.
    CONTRACT_RETENTION_YEARS = 75

    @classmethod
    def from_environment(cls) -> dict:
        """Settings taken from the environment (the production shape)."""
        env = os.environ
        overrides = {}
        mapping = {
            "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
            "REDIS_URL": "REDIS_URL",
            "SECRET_KEY": "SECRET_KEY",
            "JOBMATCH_MODEL": "JOBMATCH_MODEL",
            "JOBMATCH_INSTANCE_PATH": "INSTANCE_PATH",
            "JOBMATCH_EMBEDDINGS_PATH": "EMBEDDINGS_PATH",
            "MAIL_SERVER": "MAIL_SERVER",
            "MAIL_USERNAME": "MAIL_USERNAME",
            "MAIL_PASSWORD": "MAIL_PASSWORD",
            "MAIL_FROM": "MAIL_FROM",
            "JOBMATCH_PUBLIC_URL": "PUBLIC_URL",
            "JOBMATCH_PROXY_COUNT": "PROXY_COUNT",
            "JOBMATCH_EMBED_DTYPE": "EMBED_DTYPE",
        }
        for var, key in mapping.items():
            if env.get(var):
                overrides[key] = env[var]
        # The matching's channels and weights, e.g. "dense,lexical" and {"title": 0.2}
        # (the benchmarks' ablation; weights not named keep their value).
        if env.get("JOBMATCH_MATCH_CHANNELS"):
            overrides["MATCH_CHANNELS"] = tuple(env["JOBMATCH_MATCH_CHANNELS"].split(","))
        if env.get("JOBMATCH_MATCH_WEIGHTS"):
            overrides["MATCH_WEIGHTS"] = cls.MATCH_WEIGHTS | json.loads(
                env["JOBMATCH_MATCH_WEIGHTS"]
            )
        # Congestion damping: "0" turns it off; {"start": 4, "full": 12, "most": 0.2} sets it.
        if env.get("JOBMATCH_CONGESTION_DAMPING"):
            overrides["CONGESTION_DAMPING"] = env["JOBMATCH_CONGESTION_DAMPING"] not in {
                "0",
                "false",
            }
        if env.get("JOBMATCH_CONGESTION"):
            overrides["CONGESTION"] = cls.CONGESTION | json.loads(env["JOBMATCH_CONGESTION"])
        if env.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"}:
            overrides["MAIL_USE_TLS"] = True
        if env.get("JOBMATCH_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}:
            overrides.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
        return overrides


class TestConfig(Config):
    """Fast, isolated settings for the test suite; the database URL comes from the fixture."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "test-secret-key-not-for-production"
    LOGIN_RATE_LIMIT = "1000 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "1000 per minute"
    REGISTER_RATE_LIMIT = "1000 per minute"
    RESET_RATE_LIMIT = "1000 per minute"
    PASSWORD_MIN_LENGTH = 10
    JOBS_INLINE = True
    INDEX_REFRESH_SECONDS = 0.0  # every search sees the log at once
    INDEX_ON_COMMIT = False  # tests that seed data index it when they mean to
    CONCEPTS_ON_DEMAND = False  # embedding the labels is slow: tests do it when they mean to
    LOAD_MODEL_IN_REQUEST = True  # the suite shares one loaded model across its apps
    FREEZE_LONG_LIVED = False  # the suite makes hundreds of apps: frozen, none would be freed


def finalise(config: dict) -> None:
    """Fill the settings that derive from others (database file, secret key)."""
    instance = Path(config["INSTANCE_PATH"])
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(parents=True, exist_ok=True)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'jobmatch.sqlite'}"
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(instance)
    config.setdefault("RATELIMIT_STORAGE_URI", config.get("REDIS_URL") or "memory://")
    config["PROXY_COUNT"] = int(config.get("PROXY_COUNT") or 0)
    if str(config.get("PUBLIC_URL", "")).startswith("https://"):
        # served over HTTPS: cookies only travel encrypted, and browsers are told to stay
        # on HTTPS (HSTS, see jobmatch.security)
        config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = True
    _offline_model(config["JOBMATCH_MODEL"])
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has no server-side pool to check; pre-ping only costs a query.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {}


def _offline_model(model: str) -> None:
    """A model on disk (the embedded default included) must never reach for a model hub."""
    if Path(model).is_absolute() or Path(model).exists():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _instance_secret(instance: Path) -> str:
    """A random key created once per installation, so no secret lives in the repository."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
