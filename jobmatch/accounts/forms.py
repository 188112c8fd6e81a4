from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
)

from jobmatch.forms import Checked, choices
from jobmatch.i18n import LANGUAGE_NAMES, _l
from jobmatch.reference import REGIONS, SECTORS
from jobmatch.validation import (
    InvalidInput,
    check_password,
    normalise_email,
    normalise_national_id,
    normalise_tax_id,
)

LOCALE_CHOICES = choices(LANGUAGE_NAMES)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class _NewAccount(FlaskForm):
    """A new account's fields, each checked with the service's own rules, so that one submit
    reports every problem (the page's summary links to each field)."""

    # The page asks about the person or organisation first, then the account, then consent.
    LATER = ("email", "password", "confirm", "locale", "visible", "consent")

    @property
    def summary_order(self) -> list:
        """The fields in the order the page shows them: the error summary follows it."""
        fields = list(self)
        later = [self[n] for n in self.LATER if n in self]
        return [f for f in fields if f.name not in self.LATER] + later

    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address, for example name@example.com.")),
            Length(max=254),
            Checked(normalise_email),
        ],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter a password.")), Length(max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Enter the password again.")),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
    )
    locale = SelectField(_l("Language of the service"), choices=LOCALE_CHOICES)
    region = SelectField(_l("Region"), choices=choices(REGIONS, blank=""), validators=[Optional()])
    consent = BooleanField(
        _l("I agree that the employment service processes my data to help me"),
        validators=[DataRequired(message=_l("Please agree to the processing of your data."))],
    )

    def own_words(self) -> tuple[str, ...]:
        """The words a password must not be made of, besides the e-mail address."""
        return ()

    def validate_password(self, field) -> None:
        try:
            email = normalise_email(self.email.data)
        except InvalidInput:
            email = self.email.data or ""
        Checked(lambda password: check_password(password, email, self.own_words()))(self, field)


class SeekerRegistrationForm(_NewAccount):
    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(_l("Enter your first name.")), Length(max=100)],
    )
    last_name = StringField(
        _l("Last name"),
        validators=[DataRequired(_l("Enter your last name.")), Length(max=100)],
    )
    national_id = StringField(
        _l("Personal identification number (FIN), optional"),
        validators=[Optional(), Length(max=20), Checked(normalise_national_id)],
    )
    birth_year = IntegerField(
        _l("Year of birth, optional"),
        validators=[
            Optional(),
            NumberRange(
                min=1930,
                max=date.today().year - 14,
                message=_l("Enter a year of birth from %(min)s to %(max)s."),
            ),
        ],
    )

    def own_words(self) -> tuple[str, ...]:
        return (self.first_name.data or "", self.last_name.data or "")

    visible = BooleanField(
        _l(
            "Employers may find my profile; verified employers may see my name, phone, e-mail "
            "and CV while I am among the best candidates for their published vacancies"
        )
    )


class EmployerRegistrationForm(_NewAccount):
    organisation = StringField(
        _l("Organisation name"),
        validators=[DataRequired(_l("Enter the organisation's name.")), Length(max=200)],
    )
    tax_id = StringField(
        _l("Tax number (VÖEN)"),
        validators=[
            DataRequired(_l("Enter the organisation's tax number (VÖEN): 10 digits.")),
            Length(max=20),
            Checked(normalise_tax_id),
        ],
    )
    sector = SelectField(_l("Sector"), choices=choices(SECTORS, blank=""), validators=[Optional()])

    def own_words(self) -> tuple[str, ...]:
        return (self.organisation.data or "",)


class AccountForm(FlaskForm):
    name = StringField(
        _l("Your name, as job seekers and employers see it"),
        validators=[Optional(), Length(max=200)],
    )
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
