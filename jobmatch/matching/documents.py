"""The text each entity is embedded from: what it says about the job, in its own words."""

from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Vacancy

# The role each entity plays for the E5 model: measured best (docs/BENCHMARKS.md).
ROLES = {"vacancy": "passage", "seeker": "query"}


def _occupation_line(occupation) -> str:
    if occupation is None:
        return ""
    labels = dict.fromkeys(filter(None, [occupation.label_en, occupation.label_fr]))
    return " / ".join(labels)


def vacancy_document(vacancy: Vacancy) -> str:
    essential = [s.skill.label_en for s in vacancy.skills if s.relation == "essential"]
    optional = [s.skill.label_en for s in vacancy.skills if s.relation == "optional"]
    lines = [vacancy.title, _occupation_line(vacancy.occupation)]
    if essential:
        lines.append("Skills: " + ", ".join(essential))
    if optional:
        lines.append("Also useful: " + ", ".join(optional))
    lines.append(vacancy.description or "")
    return "\n".join(line for line in lines if line.strip())


def seeker_document(profile: SeekerProfile) -> str:
    lines = [profile.desired_title or ""]
    lines += [_occupation_line(o) for o in profile.occupations]
    skills = [s.skill.label_en for s in profile.skills]
    if skills:
        lines.append("Skills: " + ", ".join(skills))
    for job in profile.experiences:
        where = f" ({job.employer_name})" if job.employer_name else ""
        lines.append(f"{job.title}{where}: {job.description}".strip(": "))
    lines += [profile.summary or "", profile.cv_text or ""]
    return "\n".join(line for line in lines if line.strip())
