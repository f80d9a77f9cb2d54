"""The statistics API: reads for everyone, imports and frameworks for the secretariat."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.server.stats.conftest import ECONOMIES, csv_bytes, signed_in


def _json(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.content[:1500])
    return json.loads(response.content)


def test_indicators_list_the_catalogue_with_counts(sample: Any, client: Client) -> None:
    """Each indicator has both names, its unit and how many values the store holds."""
    body = _json(client.get("/api/statistics/indicators"))
    by_code = {i["code"]: i for i in body}
    users = by_code["internet_users_pct"]
    assert users["name"]["zh"] and users["name"]["en"] and users["unit"] == "%"
    assert 0 < users["economies"] <= len(ECONOMIES)


def test_observations_filter_and_paginate(sample: Any, client: Client) -> None:
    """Filters narrow the list; pages carry count and links; every vintage when asked."""
    body = _json(client.get("/api/statistics/observations?economy=CHN&indicator=internet_users_pct&limit=3"))
    assert body["count"] >= 5 and len(body["items"]) == 3 and body["next"]
    assert {o["economy"] for o in body["items"]} == {"CHN"}
    latest = _json(client.get("/api/statistics/observations?indicator=internet_users_pct&limit=500"))["count"]
    every = _json(client.get("/api/statistics/observations?indicator=internet_users_pct&vintages=true&limit=1"))
    assert every["count"] >= latest


def test_observations_as_of_give_the_old_vintage(db: None, client: Client) -> None:
    """``as_of`` answers with the value as it stood on that date."""
    from actionplan.server.stats import store

    store.import_observations(csv_bytes("GHA,2022,internet_users_pct,58,,"), "v1.csv", None, date(2023, 6, 30))
    store.import_observations(csv_bytes("GHA,2022,internet_users_pct,60.5,,"), "v2.csv", None, date(2024, 6, 30))
    old = _json(client.get("/api/statistics/observations?economy=GHA&as_of=2023-12-31"))
    new = _json(client.get("/api/statistics/observations?economy=GHA"))
    assert [o["value"] for o in old["items"]] == [58.0]
    assert [o["value"] for o in new["items"]] == [60.5]


def test_ranking_has_nodes_and_intervals(sample: Any, client: Client) -> None:
    """A ranking row has score, rank, every node and a rank interval holding the rank's neighbourhood."""
    from actionplan.server.stats import results

    body = _json(client.get("/api/statistics/rankings/idi-2017?year=2017"))
    assert body["year"] == 2017 and body["root"] == "idi" and len(body["rows"]) == len(ECONOMIES)
    first = body["rows"][0]
    assert first["rank"] == 1 and set(first["nodes"]) == {"access", "use", "skills", "idi"}
    assert first["p5_rank"] <= first["median_rank"] <= first["p95_rank"]
    expected = results.ranking("idi-2017", 2017).result
    assert first["score"] == max(float(s) for s in expected.scores)


def test_uncertainty_profile_and_comparison(sample: Any, client: Client) -> None:
    """The uncertainty summary, a profile and a comparison answer with their schemas' fields."""
    unc = _json(client.get("/api/statistics/rankings/idi-2023/uncertainty?year=2023"))
    assert unc["n"] == 1000 and unc["seed"] == 0 and len(unc["rows"]) == len(ECONOMIES)
    profile = _json(client.get("/api/statistics/economies/chn?framework=idi-2017&year=2017"))
    assert profile["economy"] == "CHN" and profile["name"]["zh"] == "中国"
    assert len(profile["indicators"]) == 11 and profile["what_if"]
    comparison = _json(client.get("/api/statistics/comparison?a=idi-2017&b=idi-2023&year=2023"))
    assert -1 <= comparison["spearman"] <= 1 and -1 <= comparison["kendall"] <= 1
    assert {n["node"] for n in comparison["coherence_a"]} == {"access", "use", "skills", "idi"}


def test_unknown_framework_and_economy_are_404(sample: Any, client: Client) -> None:
    assert _json(client.get("/api/statistics/rankings/nope"), 404)["where"] == "framework"
    _json(client.get("/api/statistics/economies/ZZZ?framework=idi-2017&year=2017"), 404)
    _json(client.get("/api/statistics/rankings/idi-2017?year=1950"), 404)


def test_import_through_the_api_needs_the_secretariat(db: None, client: Client, delegate: Any,
                                                      secretariat: Any) -> None:
    """Anonymous: 401; a delegate: 403; the secretariat: 201 with the batch."""
    def post(c: Client) -> Any:
        upload = SimpleUploadedFile("chn.csv", csv_bytes("CHN,2023,internet_users_pct,77.5,,"), "text/csv")
        return c.post("/api/statistics/observations", {"file": upload, "recorded_on": "2024-03-01"})

    _json(post(client), 401)
    _json(post(signed_in(delegate)), 403)
    batch = _json(post(signed_in(secretariat)), 201)
    assert batch["rows"] == 1 and batch["recorded_on"] == "2024-03-01" and batch["imported_by"] == "sec"


def test_import_errors_are_listed_one_by_one(db: None, secretariat: Any) -> None:
    """A file with errors is a 400 whose ``errors`` name each row and column; nothing is stored."""
    from actionplan.server.stats.models import Observation

    data = csv_bytes("CHN,2023,internet_users_pct,77.5,,", "XXX,2023,internet_users_pct,5,,",
                     "CHN,2023,internet_users_pct,n/a,,")
    upload = SimpleUploadedFile("bad.csv", data, "text/csv")
    body = _json(signed_in(secretariat).post("/api/statistics/observations", {"file": upload}), 400)
    assert [e["where"] for e in body["errors"]] == ["bad.csv row 3, column economy", "bad.csv row 4, column value"]
    assert Observation.objects.count() == 0


def test_save_framework_validates_and_stores_editions(db: None, client: Client, secretariat: Any) -> None:
    """A proposed framework is saved as edition 1, then 2; a bad one is a 400 naming the field."""
    from actionplan.server.stats import store

    text = store.framework("idi-2017").content.replace("access: 0.4, use: 0.4, skills: 0.2",
                                                       "access: 0.3, use: 0.5, skills: 0.2")
    payload = {"name": "idi-2017-proposed", "content": text, "note": "more weight on use"}
    _json(client.post("/api/statistics/frameworks", payload, content_type="application/json"), 401)
    user = signed_in(secretariat)
    first = _json(user.post("/api/statistics/frameworks", payload, content_type="application/json"), 201)
    second = _json(user.post("/api/statistics/frameworks", payload, content_type="application/json"), 201)
    assert (first["edition"], second["edition"]) == (1, 2)
    bad = dict(payload, content=text.replace("access: 0.3, use: 0.5", "access: 0.9, use: 0.5"))
    body = _json(user.post("/api/statistics/frameworks", bad, content_type="application/json"), 400)
    assert any("nodes[0].weights" in (e["where"] or "") + e["error"] for e in body["errors"])
    shipped = dict(payload, name="idi-2017")
    assert _json(user.post("/api/statistics/frameworks", shipped, content_type="application/json"), 400)["where"] \
        == "name"
    names = [f["name"] for f in _json(client.get("/api/statistics/frameworks"))]
    assert names == ["gci", "idi-2017", "idi-2023", "idi-2017-proposed"]
