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
    # Consent, recorded at sign-up (accounts.models.Consent): the privacy notice's version,
    # explicit consent to processing sensitive data, and being old enough. All required.
    privacy_notice_version = forms.CharField(label=_("Privacy notice version"), max_length=32)
    consent_sensitive_data = forms.BooleanField(
        label=_("I agree that Haven keeps my check-ins and notes about my relationship")
    )
    age_confirmed = forms.BooleanField(label=_("I am old enough to use Haven"))

    def clean_privacy_notice_version(self) -> str:
        version = self.cleaned_data["privacy_notice_version"]
        if version != settings.PRIVACY_NOTICE_VERSION:
            raise forms.ValidationError(
                _("The privacy notice has changed; please read the current one."),
                code="notice_version_outdated",
            )
        return version

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
        from accounts.deletion import consent_record

        consent_record(
            person=user,
            notice_version=self.cleaned_data["privacy_notice_version"],
            sensitive_data=self.cleaned_data["consent_sensitive_data"],
            age_confirmed=self.cleaned_data["age_confirmed"],
        )


def _request_locale(request) -> str:
    language = translation.get_language_from_request(request)
    supported = {code for code, _name in settings.LANGUAGES}
    return language if language in supported else settings.LANGUAGE_CODE
