"""The report's API: the same figures as the page, the same access rules."""

import pytest


def test_staff_get_every_table_as_json(staff_client, classroom, site):
    response = staff_client.get("/api/reporting/2025", {"site": site.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["fiscal_year"] == 2025 and data["start"] == "2025-04-01" and data["end"] == "2026-03-31"
    assert data["label"] == "2025年度（令和7年度）" and not data["all_sites"]
    tables = {t["key"]: t for t in data["tables"]}
    assert len(tables) == 18
    grades = tables["children_by_grade"]
    assert [c["key"] for c in grades["columns"]] == ["total", "previous"]
    assert next(r for r in grades["rows"] if r["key"] == "total")["values"] == [5, 4]
    rate = next(r for r in tables["attendance_by_month"]["rows"] if r["key"] == "rate")
    assert rate["unit"] == "percent" and rate["values"][-2:] == [60.0, 100.0]


def test_coordinators_get_the_tables_without_reasons_or_case_work(coordinator_client, classroom):
    data = coordinator_client.get("/api/reporting/2025").json()
    keys = {t["key"] for t in data["tables"]}
    assert "children_by_household" not in keys and "home_visits" not in keys
    assert len(data["omitted"]) == 4


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_other_roles_get_404(request, persona):
    assert request.getfixturevalue(persona).get("/api/reporting/2025").status_code == 404


def test_anonymous_is_refused(client):
    assert client.get("/api/reporting/2025").status_code == 401


@pytest.mark.parametrize("query", [("/api/reporting/1", {}), ("/api/reporting/99999", {}),
                                   ("/api/reporting/2025", {"site": "other"}), ("/api/reporting/2025", {"site": -1})])
def test_hostile_years_and_other_sites_answer_404(staff_client, other_site, query):
    path, params = query
    if params.get("site") == "other":
        params = {"site": other_site.pk}
    response = staff_client.get(path, params)
    assert response.status_code == 404 and "Not Found" not in response.content.decode()
