from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from jobmatch.forms import choices
from jobmatch.i18n import _l
from jobmatch.reference import REGIONS, SECTORS


class OrganisationForm(FlaskForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=choices(SECTORS, blank=""), validators=[Optional()])
    region = SelectField(_l("Region"), choices=choices(REGIONS, blank=""), validators=[Optional()])
    city = StringField(_l("City or district"), validators=[Optional(), Length(max=80)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=255)])
    description = TextAreaField(
        _l("About the organisation: what it does, where, how many people work there"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 6},
    )

    FIELDS = ("name", "sector", "region", "city", "website", "description")
