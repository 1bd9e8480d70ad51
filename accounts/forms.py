from django import forms
from django.conf import settings
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

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data.get("display_name") or ""
        user.time_zone = self.cleaned_data.get("time_zone") or "UTC"
        user.locale = self.cleaned_data.get("locale") or _request_locale(request)
        user.save(update_fields=["display_name", "time_zone", "locale"])


def _request_locale(request) -> str:
    language = translation.get_language_from_request(request)
    supported = {code for code, _name in settings.LANGUAGES}
    return language if language in supported else settings.LANGUAGE_CODE
