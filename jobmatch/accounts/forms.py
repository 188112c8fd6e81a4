from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from jobmatch.forms import choices
from jobmatch.i18n import LANGUAGE_NAMES, _l
from jobmatch.reference import REGIONS, SECTORS

LOCALE_CHOICES = choices(LANGUAGE_NAMES)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class _NewAccount(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    locale = SelectField(_l("Language of the service"), choices=LOCALE_CHOICES)
    region = SelectField(_l("Region"), choices=choices(REGIONS, blank=""), validators=[Optional()])
    consent = BooleanField(
        _l("I agree that the employment service processes my data to help me"),
        validators=[DataRequired(message=_l("Please agree to the processing of your data."))],
    )


class SeekerRegistrationForm(_NewAccount):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)])
    national_id = StringField(
        _l("Personal identification number (FIN), optional"),
        validators=[Optional(), Length(max=20)],
    )
    birth_year = IntegerField(
        _l("Year of birth, optional"),
        validators=[Optional(), NumberRange(min=1930, max=date.today().year - 14)],
    )
    visible = BooleanField(
        _l(
            "Employers may find my profile; verified employers may see my name, phone, e-mail "
            "and CV while I am among the best candidates for their published vacancies"
        )
    )


class EmployerRegistrationForm(_NewAccount):
    organisation = StringField(
        _l("Organisation name"), validators=[DataRequired(), Length(max=200)]
    )
    tax_id = StringField(_l("Tax number (VÖEN)"), validators=[DataRequired(), Length(max=20)])
    sector = SelectField(_l("Sector"), choices=choices(SECTORS, blank=""), validators=[Optional()])


class AccountForm(FlaskForm):
    locale = SelectField(_l("Language of the service"), choices=LOCALE_CHOICES)
    current_password = PasswordField(_l("Current password"), validators=[Optional()])
    new_password = PasswordField(_l("New password"), validators=[Optional(), Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
