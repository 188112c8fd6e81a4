"""A fixed small set: French, Arabic and Azerbaijani job seekers find the English vacancy
of the same job in the top 5, through the bundled model and the index."""

import numpy as np
import pytest

from jobmatch.demo.content import OCCUPATIONS
from jobmatch.matching.documents import ROLES
from jobmatch.search.index import build

JOBS = [
    "accountant",
    "software developer",
    "nurse responsible for general care",
    "cook",
    "bus driver",
    "electrician",
    "welder",
    "call centre agent",
    "pharmacist",
    "baker",
    "hairdresser",
    "tailor",
    "primary school teacher",
    "drilling engineer",
    "translator",
]
SEEKER_TITLES = {  # how a job seeker would name the job, in their own language
    "fr": {
        "accountant": "Comptable",
        "software developer": "Développeur de logiciels",
        "nurse responsible for general care": "Infirmière",
        "cook": "Cuisinier",
        "bus driver": "Chauffeur de bus",
        "electrician": "Électricien",
        "welder": "Soudeur",
        "call centre agent": "Téléconseiller",
        "pharmacist": "Pharmacienne",
        "baker": "Boulanger",
        "hairdresser": "Coiffeuse",
        "tailor": "Couturier",
        "primary school teacher": "Professeur des écoles",
        "drilling engineer": "Ingénieur forage",
        "translator": "Traductrice",
    },
    "ar": {
        "accountant": "محاسب",
        "software developer": "مطور برمجيات",
        "nurse responsible for general care": "ممرضة",
        "cook": "طباخ",
        "bus driver": "سائق حافلة",
        "electrician": "كهربائي",
        "welder": "لحّام",
        "call centre agent": "موظف مركز اتصال",
        "pharmacist": "صيدلانية",
        "baker": "خباز",
        "hairdresser": "مصففة شعر",
        "tailor": "خياط",
        "primary school teacher": "معلم في مدرسة ابتدائية",
        "drilling engineer": "مهندس حفر",
        "translator": "مترجمة",
    },
    "az": {job: OCCUPATIONS[job][0] for job in JOBS},
}


def vacancy_text(job: str) -> str:
    return f"{job.capitalize()}\nWhat you will do: {OCCUPATIONS[job][5]['en']}."


def seeker_text(job: str, language: str) -> str:
    return f"{SEEKER_TITLES[language][job]}. {OCCUPATIONS[job][5][language]}."


@pytest.fixture(scope="module")
def vacancy_index(embedder):
    vectors = embedder.embed([vacancy_text(j) for j in JOBS], ROLES["vacancy"])
    return build(np.arange(len(JOBS)), vectors, embedder.dimension, embedder.name, "flat")


@pytest.mark.parametrize("language", ["fr", "ar", "az"])
def test_seekers_find_the_english_vacancy_of_their_job(embedder, vacancy_index, language):
    queries = embedder.embed([seeker_text(j, language) for j in JOBS], ROLES["seeker"])
    _, found = vacancy_index.search(queries, 5)
    missed = [job for i, job in enumerate(JOBS) if i not in found[i].tolist()]
    assert missed == []
