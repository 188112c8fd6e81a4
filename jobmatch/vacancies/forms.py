from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from jobmatch.forms import choices
from jobmatch.i18n import _l
from jobmatch.reference import (
    CONTRACT_TYPES,
    EDUCATION_LEVELS,
    LANGUAGES,
    REGIONS,
    WORKING_TIMES,
)
from jobmatch.vacancies.services import DESCRIPTION_MAX, SALARY_MAX

TEXT_LANGUAGES = {code: LANGUAGES[code] for code in ("az", "ru", "en", "fr", "ar")}


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (no JavaScript needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VacancyForm(FlaskForm):
    title = StringField(_l("Job title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description: the work, the conditions, what the person needs to bring"),
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        render_kw={"rows": 10},
    )
    text_language = SelectField(
        _l("Language of the text"),
        choices=choices(TEXT_LANGUAGES, blank=_l("Recognise it from the text")),
        validators=[Optional()],
    )
    region = SelectField(_l("Region"), choices=choices(REGIONS, blank=""), validators=[Optional()])
    city = StringField(_l("City or district"), validators=[Optional(), Length(max=80)])
    contract_type = SelectField(_l("Contract"), choices=choices(CONTRACT_TYPES))
    working_time = SelectField(_l("Working time"), choices=choices(WORKING_TIMES))
    salary_min = IntegerField(
        _l("Monthly salary from (AZN)"),
        validators=[Optional(), NumberRange(min=0, max=SALARY_MAX)],
    )
    salary_max = IntegerField(
        _l("Monthly salary up to (AZN)"),
        validators=[Optional(), NumberRange(min=0, max=SALARY_MAX)],
    )
    languages = CheckboxesField(_l("Languages needed"), choices=choices(LANGUAGES))
    education_level = SelectField(
        _l("Education needed"),
        choices=choices(EDUCATION_LEVELS, blank=_l("Not required")),
        validators=[Optional()],
    )
    positions = IntegerField(
        _l("Number of positions"), default=1, validators=[InputRequired(), NumberRange(1, 1000)]
    )
    expires_on = DateField(_l("Open until"), validators=[Optional()])

    FIELDS = (
        "title",
        "description",
        "text_language",
        "region",
        "city",
        "contract_type",
        "working_time",
        "salary_min",
        "salary_max",
        "languages",
        "education_level",
        "positions",
        "expires_on",
    )

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}
