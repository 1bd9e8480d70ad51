"""`make audit` (issue 14, item 9): a found vulnerability always fails; an advisory service that
does not answer is said plainly in one line and never fails CI (pip-audit itself would report
"no known vulnerabilities" with every package skipped)."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit.py"
spec = importlib.util.spec_from_file_location("haven_audit", SCRIPT)
assert spec and spec.loader
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

UNREACHABLE = "Dependency not found on PyPI and could not be audited: django (5.2.19)"


def test_a_known_vulnerability_fails(capsys):
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.19",
                "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.20"]}],
            },
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ]
    }
    assert audit.verdict(report) == 1
    out = capsys.readouterr().out
    assert "django 5.2.19: PYSEC-1 (fixed in: 5.2.20)" in out


def test_an_unreachable_service_is_one_plain_line_and_not_a_failure(capsys):
    report = {"dependencies": [{"name": "django", "skip_reason": UNREACHABLE}] * 3}
    assert audit.verdict(report) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "pip-audit: the advisory service did not answer for any of 3 packages; "
        "nothing audited (not a failure)."
    ]


def test_a_clean_audit_says_what_it_checked(capsys):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "private-pkg", "skip_reason": "not on PyPI"},
        ]
    }
    assert audit.verdict(report) == 0
    assert capsys.readouterr().out.strip() == (
        "pip-audit: 1 packages checked, no known vulnerabilities; 1 could not be checked "
        "(private-pkg)."
    )
