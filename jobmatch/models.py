"""Every model, imported once so SQLAlchemy and Alembic see the whole schema."""

from jobmatch.accounts.models import AccountSession, User
from jobmatch.alerts.models import SavedSearch
from jobmatch.api.models import ApiToken
from jobmatch.audit.models import AuditEvent
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.counselling.models import CaseNote, MatchDecision, Referral
from jobmatch.employers.models import Employer, EmployerMember
from jobmatch.matching.models import IndexChange, StoredVector
from jobmatch.monitoring.models import Exposure, MatchOutcome
from jobmatch.notifications.models import Notification, OutboxMessage
from jobmatch.people.models import Person
from jobmatch.seekers.models import Education, Experience, SeekerProfile, SeekerSkill
from jobmatch.stats.models import StatisticsSnapshot
from jobmatch.taxonomy.models import IscoGroup, Occupation, OccupationSkill, Skill
from jobmatch.training.models import TrainingProgramme, TrainingReferral
from jobmatch.vacancies.models import Application, Vacancy, VacancySkill

__all__ = [
    "AccountSession",
    "ApiToken",
    "Application",
    "AuditEvent",
    "CaseNote",
    "Education",
    "Employer",
    "EmployerMember",
    "Experience",
    "Exposure",
    "IndexChange",
    "IscoGroup",
    "LabourContract",
    "MatchDecision",
    "MatchOutcome",
    "Notification",
    "Occupation",
    "OccupationSkill",
    "OutboxMessage",
    "Person",
    "Referral",
    "SavedSearch",
    "SeekerProfile",
    "SeekerSkill",
    "Skill",
    "StatisticsSnapshot",
    "StoredVector",
    "TrainingProgramme",
    "TrainingReferral",
    "UnemploymentRegistration",
    "User",
    "Vacancy",
    "VacancySkill",
]
