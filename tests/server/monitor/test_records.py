"""Importing activity records: every error at once, all rows or none, corrections by key, audit."""

from __future__ import annotations

import pytest

from actionplan.errors import InputError
from actionplan.server.audit.models import AuditEntry
from actionplan.server.monitor import models
from actionplan.server.monitor.imports import import_file

EVENTS = """key,kind,title,start_date,end_date,city,country,region,online,outputs,recorded_on
EV-1,training,Spectrum management,2019-03-04,2019-03-08,Nairobi,KEN,AFR,no,3.3;2.1,2019-03-20
EV-2,workshop,Cybersecurity drill,2019-06-10,2019-06-12,Muscat,OMN,ARB,no,2.2,2019-06-30
"""

PEOPLE = """event_key,person_key,sex,age_band,disability,country,organisation_type,completed,assessed,satisfaction,\
recorded_on
EV-1,P-1,F,Y25T34,NPD,KEN,regulator,yes,yes,5,2019-03-20
EV-1,P-2,M,Y35T44,PD,UGA,government,yes,no,3,2019-03-20
EV-2,P-1,F,Y25T34,NPD,KEN,regulator,,,4,2019-06-30
"""


def test_a_file_with_errors_stores_nothing_and_names_every_row_and_column(plan_stored: object) -> None:
    bad = EVENTS.replace("training", "lecture").replace("OMN,ARB", "XXX,ARB").replace("2019-06-12", "12/06/2019")
    with pytest.raises(InputError) as caught:
        import_file("events", bad.encode(), "events.csv")
    message = caught.value.message
    assert "events.csv row 2, column kind" in message
    assert "events.csv row 3, column country" in message
    assert "events.csv row 3, column end_date" in message
    assert models.Event.objects.count() == 0


def test_participations_refer_to_stored_events_or_nothing_is_stored(plan_stored: object) -> None:
    import_file("events", EVENTS.encode(), "events.csv")
    with pytest.raises(InputError) as caught:
        import_file(
            "participations", (PEOPLE + "EV-9,P-3,F,Y25T34,NPD,KEN,regulator,,,,2019-07-01\n").encode(), "p.csv"
        )
    assert "p.csv row 5, column event_key" in caught.value.message
    assert models.Participation.objects.count() == 0 and models.Participant.objects.count() == 0


def test_import_stores_all_rows_and_a_second_import_corrects_by_key(plan_stored: object) -> None:
    before = AuditEntry.objects.count()
    stored = import_file("events", EVENTS.encode(), "events.csv")
    assert (stored.created, stored.updated) == (2, 0)
    assert sorted(models.EventOutput.objects.filter(event__key="EV-1").values_list("output", flat=True)) == [
        "2.1",
        "3.3",
    ]
    people = import_file("participations", PEOPLE.encode(), "people.csv")
    assert (people.created, people.updated) == (3, 0)
    assert models.Participant.objects.count() == 2
    corrected = import_file("events", EVENTS.replace("Nairobi", "Mombasa").encode(), "events.csv")
    assert (corrected.created, corrected.updated) == (0, 2)
    assert models.Event.objects.get(key="EV-1").city == "Mombasa"
    entries = AuditEntry.objects.filter(sequence__gt=0).order_by("sequence")[before:]
    assert [e.action for e in entries] == ["import", "import", "import"]
    assert '"file":"events.csv"' in entries[0].after.replace(" ", "")


def test_xlsx_template_round_trips_through_the_importer(plan_stored: object) -> None:
    from actionplan.monitor.importing import template

    data = template("events", "xlsx")
    stored = import_file("events", data, "events.xlsx")
    assert stored.created == 1  # the template's example row


def test_publication_use_is_corrected_by_publication_year_and_month(plan_stored: object) -> None:
    publications = (
        "key,kind,title,output,due_on,released_on,recorded_on\n"
        "PU-1,toolkit,E-waste toolkit,4.4,,2020-02-01,2020-02-03\n"
    )
    import_file("publications", publications.encode(), "publications.csv")
    use = "publication_key,year,month,downloads,page_views,users\nPU-1,2020,3,40,400,120\nPU-1,2020,4,50,500,150\n"
    assert (import_file("publication_use", use.encode(), "use.csv").created, models.PublicationUse.objects.count()) == (
        2,
        2,
    )
    again = import_file("publication_use", use.replace("40,400", "45,420").encode(), "use.csv")
    assert (again.created, again.updated) == (0, 2)
    assert models.PublicationUse.objects.get(year=2020, month=3).downloads == 45
