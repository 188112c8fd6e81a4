from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from jobmatch.forms import choices
from jobmatch.i18n import _l
from jobmatch.reference import CONTRACT_TYPES, WORKING_TIMES


class TermsForm(FlaskForm):
    position = StringField(_l("Position"), validators=[DataRequired(), Length(max=200)])
    contract_type = SelectField(_l("Contract"), choices=choices(CONTRACT_TYPES))
    working_time = SelectField(_l("Working time"), choices=choices(WORKING_TIMES))
    salary = IntegerField(
        _l("Monthly salary (AZN)"), validators=[Optional(), NumberRange(min=0, max=1_000_000)]
    )
    end_date = DateField(_l("End date (fixed-term contracts)"), validators=[Optional()])

    TERMS = ("position", "contract_type", "working_time", "salary", "end_date")

    def terms(self) -> dict:
        return {name: self[name].data for name in self.TERMS}


class ConfirmForm(TermsForm):
    start_date = DateField(_l("Start date"), validators=[InputRequired()])


class HireForm(ConfirmForm):
    person = StringField(
        _l("The person's FIN or e-mail address"),
        validators=[DataRequired(), Length(max=254)],
    )
    first_name = StringField(_l("First name"), validators=[Optional(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=100)])


class TerminationForm(FlaskForm):
    last_day = DateField(_l("Last working day"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
