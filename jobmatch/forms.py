"""Helpers shared by the feature forms."""

from flask import flash
from wtforms import SelectChoice, ValidationError

from jobmatch.database import changes
from jobmatch.validation import InvalidInput


def choices(codes: dict, blank: str | None = None) -> list[SelectChoice]:
    """Select options from a code list; labels stay lazy so they follow the locale."""
    items = [
        SelectChoice(code, label[0] if isinstance(label, tuple) else label)
        for code, label in codes.items()
    ]
    return ([SelectChoice("", blank)] if blank is not None else []) + items


class Checked:
    """A field validator from a service's own check (a function of the field's value that
    raises InvalidInput): the form then reports every field's problem at once, in the
    service's words, before the service is asked."""

    def __init__(self, check):
        self.check = check

    def __call__(self, form, field) -> None:
        try:
            self.check(field.data)
        except InvalidInput as error:
            raise ValidationError(error.message) from error


def apply_error(form, error: InvalidInput, default: str | None = None) -> None:
    """Show a service's validation error beside its field (or at the top of the form)."""
    name = error.field if error.field in form else default
    if name and name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors.append(error.message)


def commit_or_explain(change, success) -> bool:
    """Run `change()`: if it refuses (InvalidInput), roll back and show why; else commit and
    show `success` (a message, or a function giving one once committed). One commit, or
    nothing, per request."""

    try:
        with changes():
            change()
    except InvalidInput as error:
        flash(error.message, "error")
        return False
    flash(success() if callable(success) else success, "success")
    return True


def commit_or_show(form, change, success=None) -> bool:
    """Like commit_or_explain, for a page with a form: a refusal is shown beside its field
    (or at the top of the form) and the form is drawn again."""

    try:
        with changes():
            change()
    except InvalidInput as error:
        apply_error(form, error)
        return False
    if success:
        flash(success() if callable(success) else success, "success")
    return True
