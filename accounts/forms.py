from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_time_zone


class SignupProfileForm(forms.Form):
    """Optional profile fields accepted at sign-up (allauth's ACCOUNT_SIGNUP_FORM_CLASS);
    everything can also be set later through PATCH /api/v1/me."""

    display_name = forms.CharField(label=_("Display name"), max_length=60, required=False)
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, required=False, validators=[validate_time_zone]
    )
    locale = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    def clean(self) -> dict[str, Any]:
        """allauth mixes this form in as the base of its sign-up form. With enumeration
        prevention, a sign-up for an email that already has an account creates nothing and
        answers like a new one (allauth's `try_save` → `flows.signup.prevent_enumeration`; no
        adapter hook on that branch sees the password). A new account costs one password hash;
        so that the answer's timing tells no one who has an account, a valid sign-up for a
        known email hashes the submitted password once too, with the configured hasher, and
        throws the hash away."""
        cleaned_data = super().clean() or self.cleaned_data
        password = cleaned_data.get("password") or cleaned_data.get("password1")
        if getattr(self, "account_already_exists", False) and password and not self.errors:
            make_password(password)
        return cleaned_data

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data.get("display_name") or ""
        user.time_zone = self.cleaned_data.get("time_zone") or "UTC"
        user.locale = self.cleaned_data.get("locale") or _request_locale(request)
        user.save(update_fields=["display_name", "time_zone", "locale"])


def _request_locale(request) -> str:
    language = translation.get_language_from_request(request)
    supported = {code for code, _name in settings.LANGUAGES}
    return language if language in supported else settings.LANGUAGE_CODE
