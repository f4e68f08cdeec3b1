from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)


class LoginForm(AuthenticationForm):
    """The sign-in form: an empty field or a wrong password is said on the page, plainly."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or the password is wrong. Please check them and try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Please enter your user name.")
        self.fields["password"].error_messages["required"] = _("Please enter your password.")
