"""Alone-time windows reach the partner with the owner's time zone (issue 13): "Tuesday
18:00-20:00" means nothing to a partner in another zone unless it says whose clock."""

from tests.utils import client_for

PARTNER = "/api/v1/couple/partner"
WINDOWS = [{"weekday": 1, "start": "18:00", "end": "20:00"}]


def _set_windows(client, *, shared: bool) -> None:
    response = client.put(
        "/api/v1/me/preferences",
        {"alone_time_windows": WINDOWS, "shared_with_partner": shared},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_the_partner_reads_alone_time_windows_with_the_owners_time_zone(couple):
    couple.b.time_zone = "America/New_York"
    couple.b.save()
    client_b = client_for(couple.b)
    _set_windows(client_b, shared=True)

    seen_by_a = couple.client_a.get(PARTNER).json()["preferences"]
    assert seen_by_a["alone_time_windows"] == WINDOWS
    assert seen_by_a["time_zone"] == "America/New_York"
    # A's own zone is not B's: the windows are on B's clock, and say so.
    assert couple.a.time_zone != seen_by_a["time_zone"]

    # Changing zone moves the label with it.
    moved = client_b.patch("/api/v1/me", {"time_zone": "Asia/Tokyo"}, format="json")
    assert moved.status_code == 200, moved.content
    assert couple.client_a.get(PARTNER).json()["preferences"]["time_zone"] == "Asia/Tokyo"


def test_windows_kept_private_reach_the_partner_not_at_all(couple):
    _set_windows(couple.client_b, shared=False)
    seen_by_a = couple.client_a.get(PARTNER).json()
    assert seen_by_a["preferences"] is None
    assert "18:00" not in str(seen_by_a)
