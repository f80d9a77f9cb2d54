"""Lint findings as text, JSON or SARIF 2.1.0 (for code-review tools and CI annotations)."""

from __future__ import annotations

import json

from actionplan import __version__
from actionplan.lint.catalogue import RULES, Finding

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def findings_json(findings: list[Finding], source: str) -> str:
    return json.dumps(
        {"source": source, "count": len(findings), "findings": [f.model_dump() for f in findings]},
        ensure_ascii=False,
        indent=2,
    )


def findings_sarif(findings: list[Finding], source: str) -> str:
    """A SARIF log: one run, the rule catalogue as the driver's rules, one result per finding."""
    rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.name},
            "fullDescription": {"text": r.rationale},
            "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
            "help": {"text": f"Bad: {r.bad}\nGood: {r.good}"},
        }
        for r in sorted(RULES.values(), key=lambda r: r.code)
    ]
    results = []
    for f in findings:
        location: dict[str, object] = {"physicalLocation": {"artifactLocation": {"uri": source}}}
        if f.line:
            location["physicalLocation"]["region"] = {"startLine": f.line}  # type: ignore[index]
        if f.eid:
            location["logicalLocations"] = [{"fullyQualifiedName": f.eid, "kind": "element"}]
        results.append(
            {
                "ruleId": f.code,
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [location],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "actionplan-lint", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)
