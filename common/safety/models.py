"""Crisis resources: the lines a person can reach for in their country (emergency number, a
crisis/suicide line, a domestic-violence line) and the international directories that
always answer. Operators (superusers) maintain them in the admin; a line is served only once
an operator has verified it (`verified_on`), because a wrong number is worse than none.

Imported by `common.models`, so Django files the model under the `common` app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel

# "" is the international entry (a directory such as Find A Helpline), served to everyone.
INTERNATIONAL = ""

country_code = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1 (e.g. DE), or leave it empty.")
)


class CrisisLine(UUIDModel):
    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency number")
        CRISIS = "crisis", _("Crisis or suicide line")
        DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic-violence line")
        DIRECTORY = "directory", _("Directory of helplines")

    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[country_code],
        help_text=_("ISO 3166-1 alpha-2 (e.g. DE); empty for an international directory."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    text_number = models.CharField(
        _("text number"), max_length=40, blank=True, help_text=_("Where one can text, if any.")
    )
    web_url = models.URLField(_("web address"), blank=True)
    hours = models.CharField(_("hours"), max_length=100, blank=True, help_text=_("e.g. 24/7"))
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Language codes, comma-separated (e.g. en, es)."),
    )
    source = models.URLField(
        _("source"), help_text=_("The organisation's own page that states this number.")
    )
    verified_on = models.DateField(
        _("verified on"),
        null=True,
        blank=True,
        help_text=_(
            "The day an operator checked this line against its source. Empty: not served. "
            "Re-verify every line before launch and at least every six months."
        ),
    )
    verified_by = models.CharField(
        _("verified by"), max_length=200, blank=True, help_text=_("Who checked it, for audit.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order within its country and kind.")
    )

    class Meta:
        verbose_name = _("crisis line")
        verbose_name_plural = _("crisis lines")
        ordering = ["country", "kind", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(text_number="") | ~Q(web_url=""),
                name="crisis_line_reachable",
            ),
        ]
        indexes = [models.Index(fields=["country", "kind"], name="crisis_line_country_idx")]

    def __str__(self) -> str:
        return f"{self.country or 'international'}: {self.name}"

    def clean(self) -> None:
        if not (self.phone or self.text_number or self.web_url):
            raise ValidationError(_("Give a phone number, a text number or a web address."))

    @property
    def verified(self) -> bool:
        return self.verified_on is not None

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]
