from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from jobmatch.forms import choices
from jobmatch.i18n import _l
from jobmatch.reference import AVAILABILITY, EDUCATION_LEVELS, LANGUAGES, REGIONS
from jobmatch.vacancies.forms import CheckboxesField


class ProfileForm(FlaskForm):
    """Step 1: what the person looks for and where."""

    desired_title = StringField(
        _l("The work I am looking for"), validators=[DataRequired(), Length(max=200)]
    )
    summary = TextAreaField(
        _l("About me: what I do well, what I have done"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 5},
    )
    region = SelectField(_l("Region"), choices=choices(REGIONS, blank=""), validators=[Optional()])
    city = StringField(_l("City or district"), validators=[Optional(), Length(max=80)])
    phone = TelField(_l("Telephone"), validators=[Optional(), Length(max=32)])
    languages = CheckboxesField(_l("Languages I speak"), choices=choices(LANGUAGES))
    education_level = SelectField(
        _l("Highest education"),
        choices=choices(EDUCATION_LEVELS, blank=""),
        validators=[Optional()],
    )
    availability = SelectField(_l("I can start"), choices=choices(AVAILABILITY))
    salary_expectation = IntegerField(
        _l("Monthly salary I expect (AZN)"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
    )
    visible = BooleanField(_l("Employers may find my profile (without my name)"))
    consent_contact = BooleanField(_l("Verified employers may see my name, phone, e-mail and CV"))
    disability = SelectField(
        _l("Disability"),
        choices=choices(
            {"yes": _l("I have a disability"), "no": _l("I have no disability")},
            blank=_l("I prefer not to say"),
        ),
        validators=[Optional()],
    )
    consent_disability = BooleanField(
        _l("I agree that my answer is kept for the service's fairness statistics")
    )

    PERSON = ("region", "city", "phone", "languages", "education_level", "consent_contact")
    PROFILE = ("desired_title", "summary", "availability", "salary_expectation", "visible")


class ExperienceForm(FlaskForm):
    title = StringField(_l("Job title"), validators=[DataRequired(), Length(max=200)])
    employer_name = StringField(_l("Employer"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("From"), validators=[Optional()])
    end_date = DateField(_l("Until (empty if you still work there)"), validators=[Optional()])
    description = TextAreaField(
        _l("What you did"), validators=[Optional(), Length(max=3000)], render_kw={"rows": 3}
    )


class EducationForm(FlaskForm):
    level = SelectField(_l("Level"), choices=choices(EDUCATION_LEVELS))
    field = StringField(_l("Subject"), validators=[Optional(), Length(max=200)])
    institution = StringField(_l("School or university"), validators=[Optional(), Length(max=200)])
    year_completed = IntegerField(
        _l("Year completed"),
        validators=[Optional(), NumberRange(min=1940, max=date.today().year + 6)],
    )
