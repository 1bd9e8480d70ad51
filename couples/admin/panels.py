"""Sections of the couple page a coach sees, contributed by the apps that own the data.

`couples` never imports `checkins`; instead `checkins/admin.py` registers its chart here.
A panel receives the request and a couple the coach may see (already scoped) and returns
HTML. It shows shared content only: never a private note, a private boundary, a pass, a
calm score or an attachment style."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString

from couples.models import Couple

PanelRenderer = Callable[[HttpRequest, Couple], SafeString]


@dataclass(frozen=True)
class CouplePanel:
    order: int
    name: str
    render: PanelRenderer


_PANELS: dict[str, CouplePanel] = {}


def couple_page_panel(*, order: int, name: str) -> Callable[[PanelRenderer], PanelRenderer]:
    """Register a section of the coach's couple page; lower `order` comes first. Registering
    one name twice (a module imported again) replaces it rather than showing it twice."""

    def register(render: PanelRenderer) -> PanelRenderer:
        _PANELS[name] = CouplePanel(order=order, name=name, render=render)
        return render

    return register


def couple_page_panels_render(request: HttpRequest, couple: Couple) -> list[SafeString]:
    return [panel.render(request, couple) for panel in sorted(_PANELS.values(), key=_order)]


def _order(panel: CouplePanel) -> tuple[int, str]:
    return (panel.order, panel.name)
