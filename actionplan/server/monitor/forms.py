"""One activity record entered in a form, checked by the import's row model (one set of rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from pydantic import ValidationError as PydanticValidationError

from actionplan.errors import ActionPlanError
from actionplan.monitor.records import ROW_MODELS, Row
from actionplan.server.monitor.records import Stored, store_rows

CODED = {
    "sex": "sex",
    "age_band": "age_band",
    "disability": "disability",
    "organisation_type": "organisation_type",
    "partner_type": "partner_type",
    "region": "region",
}
"""Form fields drawn as a choice among a code list (field -> code list)."""

KIND_LISTS = {
    "events": "event_kind",
    "assistance": "assistance_kind",
    "publications": "publication_kind",
}


class RecordForm(forms.Form):
    """Fields named as the import file's columns; choices where the column takes codes."""

    def __init__(self, kind: str, data: Any = None) -> None:
        super().__init__(data)
        from actionplan.monitor.records import CODE_LISTS

        self.kind = kind
        self.model: type[Row] = ROW_MODELS[kind]
        for name, info in self.model.model_fields.items():
            required = info.is_required()
            lst = KIND_LISTS.get(kind) if name == "kind" else CODED.get(name)
            if lst:
                choices = [("", "—")] if not required else []
                choices += [(code, f"{code} · {n['zh']} · {n['en']}") for code, n in CODE_LISTS[lst].items()]
                self.fields[name] = forms.ChoiceField(choices=choices, required=required)
            else:
                help_text = "YYYY-MM-DD" if "date" in name or name.endswith("_on") else ""
                if name == "outputs":
                    help_text = "3.3;3.4"
                self.fields[name] = forms.CharField(required=required, help_text=help_text, max_length=2000)

    def save(self, *, user: Any) -> Stored | None:
        """Store the record; None (with errors on the form) when a field or a reference is wrong."""
        if not self.is_valid():
            return None
        raw = {k: (v if v not in ("", None) else None) for k, v in self.cleaned_data.items()}
        raw = {k: v for k, v in raw.items() if v is not None}
        try:
            row = self.model.model_validate(raw)
        except PydanticValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else None
                self.add_error(name if name in self.fields else None, err["msg"].removeprefix("Value error, "))
            return None
        try:
            return store_rows(self.kind, [(1, row)], source=f"form ({self.kind})", user=user)
        except ActionPlanError as exc:
            self.add_error(None, exc.message)
            return None
