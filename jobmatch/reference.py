"""Code lists shared by every feature: values stored in the database, labels shown to people."""

import math

from jobmatch.i18n import _l

ROLES = {
    "job_seeker": _l("Job seeker"),
    "employer": _l("Employer"),
    "counsellor": _l("Counsellor"),
    "admin": _l("Administrator"),
}
SELF_REGISTRATION_ROLES = ("job_seeker", "employer")

# Azerbaijan's economic regions (2021) and their main towns.
REGIONS = {
    "baku": (_l("Baku"), ["Baku"]),
    "absheron-khizi": (_l("Absheron-Khizi"), ["Sumgait", "Khirdalan", "Khizi"]),
    "ganja-dashkasan": (_l("Ganja-Dashkasan"), ["Ganja", "Dashkasan", "Goygol"]),
    "gazakh-tovuz": (_l("Gazakh-Tovuz"), ["Gazakh", "Tovuz", "Aghstafa"]),
    "shaki-zagatala": (_l("Shaki-Zagatala"), ["Shaki", "Zagatala", "Gakh", "Balakan"]),
    "guba-khachmaz": (_l("Guba-Khachmaz"), ["Guba", "Khachmaz", "Gusar"]),
    "mountainous-shirvan": (_l("Mountainous Shirvan"), ["Shamakhi", "Ismayilli"]),
    "central-aran": (_l("Central Aran"), ["Mingachevir", "Yevlakh", "Aghdash", "Ujar"]),
    "mil-mugan": (_l("Mil-Mugan"), ["Imishli", "Beylagan", "Saatly", "Sabirabad"]),
    "shirvan-salyan": (_l("Shirvan-Salyan"), ["Shirvan", "Salyan", "Neftchala"]),
    "lankaran-astara": (_l("Lankaran-Astara"), ["Lankaran", "Astara", "Masalli", "Lerik"]),
    "karabakh": (_l("Karabakh"), ["Khankendi", "Shusha", "Aghdam", "Barda"]),
    "east-zangezur": (_l("East Zangezur"), ["Lachin", "Kalbajar", "Zangilan"]),
    "nakhchivan": (_l("Nakhchivan"), ["Nakhchivan", "Ordubad", "Sharur"]),
}

# Each region's main town (latitude, longitude): distances between regions are measured
# between these, as the crow flies.
REGION_CENTRES = {
    "baku": (40.41, 49.87),
    "absheron-khizi": (40.59, 49.67),
    "ganja-dashkasan": (40.68, 46.36),
    "gazakh-tovuz": (40.99, 45.63),
    "shaki-zagatala": (41.19, 47.17),
    "guba-khachmaz": (41.36, 48.51),
    "mountainous-shirvan": (40.63, 48.64),
    "central-aran": (40.62, 47.15),
    "mil-mugan": (39.87, 48.06),
    "shirvan-salyan": (39.93, 48.92),
    "lankaran-astara": (38.75, 48.85),
    "karabakh": (39.82, 46.75),
    "east-zangezur": (39.64, 46.55),
    "nakhchivan": (39.21, 45.41),
}


def region_distance(a: str, b: str) -> float:
    """Kilometres between two regions' main towns (great-circle)."""
    (lat1, lon1), (lat2, lon2) = (map(math.radians, REGION_CENTRES[r]) for r in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def regions_within(region: str, km: float) -> tuple[str, ...]:
    """The region and every region whose main town is at most `km` from its own."""
    if region not in REGION_CENTRES:
        return ()
    return tuple(r for r in REGION_CENTRES if region_distance(region, r) <= km)


# Languages a person speaks or a vacancy asks for (ISO 639-1).
LANGUAGES = {
    "az": _l("Azerbaijani"),
    "ru": _l("Russian"),
    "en": _l("English"),
    "fr": _l("French"),
    "ar": _l("Arabic"),
    "tr": _l("Turkish"),
    "de": _l("German"),
    "fa": _l("Persian"),
}

# ISCED 2011 levels, grouped as PES forms usually ask.
EDUCATION_LEVELS = {
    "none": _l("No formal education"),
    "primary": _l("Primary education"),
    "lower_secondary": _l("Lower secondary education"),
    "upper_secondary": _l("Upper secondary education"),
    "vocational": _l("Vocational education"),
    "bachelor": _l("Bachelor's degree"),
    "master": _l("Master's degree"),
    "doctorate": _l("Doctorate"),
}
EDUCATION_RANK = {code: rank for rank, code in enumerate(EDUCATION_LEVELS)}

GENDERS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other"),
    "undisclosed": _l("Prefer not to say"),
}

CONTRACT_TYPES = {
    "permanent": _l("Permanent"),
    "fixed_term": _l("Fixed-term"),
    "temporary": _l("Temporary"),
    "seasonal": _l("Seasonal"),
    "apprenticeship": _l("Apprenticeship"),
}

WORKING_TIMES = {
    "full_time": _l("Full time"),
    "part_time": _l("Part time"),
    "shifts": _l("Shifts"),
}

VACANCY_STATUSES = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "closed": _l("Closed"),
    "filled": _l("Filled"),
    "expired": _l("Expired"),
    "review": _l("Waiting for review"),
}

APPLICATION_STATUSES = {
    "received": _l("Received"),
    "shortlisted": _l("Shortlisted"),
    "interview": _l("Interview"),
    "offered": _l("Offered"),
    "hired": _l("Hired"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

# Why an employer did not go on with an application, as the applicant is told (kindly).
REJECTION_REASONS = {
    "experience": _l("The employer chose a candidate whose experience is closer to the job."),
    "skills": _l("The job needs skills that the profile does not show yet."),
    "conditions": _l("The hours, the place or the start date do not fit."),
    "filled": _l("The position has been filled."),
    "other": _l("Another reason, given in the employer's message."),
}

REFERRAL_OUTCOMES = {
    "pending": _l("Pending"),
    "accepted": _l("Accepted by the employer"),
    "declined": _l("Declined"),
    "hired": _l("Hired"),
    "not_hired": _l("Not hired"),
}

AVAILABILITY = {
    "immediately": _l("Immediately"),
    "within_month": _l("Within a month"),
    "later": _l("Later"),
}

CONTRACT_STATUSES = {
    "draft": _l("To confirm"),
    # notified by an employer the person has no tie with, or in conflict with another
    # contract: it changes nothing until the person or a counsellor confirms it
    "pending": _l("Awaiting confirmation"),
    "rejected": _l("Refused"),
    "active": _l("In force"),
    "terminated": _l("Ended"),
}

TRAINING_MODES = {
    "classroom": _l("In a classroom"),
    "online": _l("Online"),
    "blended": _l("Online and in a classroom"),
    "workplace": _l("At a workplace"),
}

TRAINING_REFERRAL_STATUSES = {
    "referred": _l("Referred"),
    "enrolled": _l("Enrolled"),
    "completed": _l("Completed"),
    "dropped": _l("Dropped out"),
}

# ISCO-08 major groups.
ISCO_MAJOR_GROUPS = {
    "1": _l("Managers"),
    "2": _l("Professionals"),
    "3": _l("Technicians and associate professionals"),
    "4": _l("Clerical support workers"),
    "5": _l("Service and sales workers"),
    "6": _l("Skilled agricultural, forestry and fishery workers"),
    "7": _l("Craft and related trades workers"),
    "8": _l("Plant and machine operators and assemblers"),
    "9": _l("Elementary occupations"),
    "0": _l("Armed forces occupations"),
}

# A person's employment status (moved only by jobmatch.contracts.status).
EMPLOYMENT_STATUSES = {
    "employed": _l("Employed"),
    "registered_unemployed": _l("Registered unemployed"),
    "job_seeker": _l("Job seeker, not registered"),
    "inactive": _l("Not looking for work"),
}

SKILL_RELATIONS = {"essential": _l("Essential"), "optional": _l("Optional")}

# Economic sectors (ISIC Rev. 4 sections).
SECTORS = {
    "A": _l("Agriculture, forestry and fishing"),
    "B": _l("Mining and quarrying"),
    "C": _l("Manufacturing"),
    "D": _l("Electricity, gas and steam supply"),
    "E": _l("Water supply and waste management"),
    "F": _l("Construction"),
    "G": _l("Wholesale and retail trade"),
    "H": _l("Transportation and storage"),
    "I": _l("Accommodation and food service"),
    "J": _l("Information and communication"),
    "K": _l("Financial and insurance activities"),
    "L": _l("Real estate activities"),
    "M": _l("Professional, scientific and technical activities"),
    "N": _l("Administrative and support services"),
    "O": _l("Public administration"),
    "P": _l("Education"),
    "Q": _l("Human health and social work"),
    "R": _l("Arts, entertainment and recreation"),
    "S": _l("Other service activities"),
}


def label(codes: dict, code: str | None) -> str:
    """The display label of a code, or the code itself when unknown."""
    value = codes.get(code or "")
    if value is None:
        return code or ""
    return str(value[0] if isinstance(value, tuple) else value)
