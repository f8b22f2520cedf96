"""Schemathesis fuzzes the JSON API against its own OpenAPI document, as a patient and as a provider.

Every documented operation is called (examples, coverage and fuzzing phases), then the stateful
phase chains creates into reads, changes and deletes. No answer may be a 500 or carry a status
code, content type or body the document does not describe. The calls go through the conftest
clients (``patient``, ``provider``, shared with ``helpers.share``) on the ``app`` fixture's own temp database.
`make fuzz` runs the same tests with many more examples (``DIARY_FUZZ_EXAMPLES``).
"""
import datetime as dt
import os
import re
import sqlite3

import hypothesis
import pytest
import schemathesis
from helpers import share
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from diary import create_app
from diary.db import get_db
from diary.web.api import operation as registry

pytestmark = pytest.mark.fuzz

DOC = "/api/v1/openapi.json"
FUZZ_EXAMPLES = int(os.environ.get("DIARY_FUZZ_EXAMPLES") or 0)
EXAMPLES = max(FUZZ_EXAMPLES, 10)
# Fewer scenarios than this don't reliably reach every operation on a record (the coverage check).
SCENARIOS = max(FUZZ_EXAMPLES, 150)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def label(op):
    """A registry operation as schemathesis names it: "GET /api/v1/entries/{entry_id}"."""
    path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", registry.blueprint.url_prefix + op.rule)
    return f"{op.method.upper()} {path}"


def config():
    """A fixed seed, derandomized, in `make test`; a fresh seed for each `make fuzz`."""
    return schemathesis.Config.from_dict({
        **({} if FUZZ_EXAMPLES else {"seed": 1}),
        # The session cookie is the caller's login, never a generated value.
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": not FUZZ_EXAMPLES,
                       "database": "none", "with-security-parameters": False},
    })


def load_schema():
    """The document as the app serves it (an app that never opens its database serves it)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "only-serves-the-document", "DATABASE": ":memory:"})
    # schemathesis leaves out the operation that served the document unless a filter names it.
    return schemathesis.openapi.from_wsgi(DOC, app, config=config()).include(path_regex="^/api/v1/")


schema = load_schema()
# Each feature module puts its operations on the registry when create_app imports it (above).
ROLES = {label(op): op.role for op in registry.operations}  # "patient", "provider", "any" or "public"


@pytest.fixture(params=["patient", "provider"])
def role(request):
    return request.param


def days_ago(days):
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


# What the patient has written before the fuzzing starts, so that lists, trends and the provider's
# views answer with real records (and schemathesis can follow links from them).
DIARY = [
    ("/api/v1/entries", {"date": days_ago(4), "time": "08:30", "anxiety": 6, "triggers": ["work"], "note": "busy"}),
    ("/api/v1/entries", {"date": days_ago(2), "anxiety": 3, "private": True}),
    ("/api/v1/sessions", {"date": days_ago(3), "treatment": "iv_ketamine", "dose_mg": 35, "anxiety_before": 7,
                          "anxiety_after": 3, "side_effects": [{"name": "nausea", "severity": "mild"}]}),
    ("/api/v1/assessments", {"instrument": "phq9", "date": days_ago(2), "answers": [1, 1, 1, 1, 1, 0, 0, 0, 1]}),
]


@pytest.fixture
def caller(role, patient, provider):
    """The logged-in client for ``role``; the patient has a few records and shares everything
    with the provider (including a safety flag to acknowledge)."""
    for path, body in DIARY:
        response = patient.post(path, json=body)
        assert response.status_code == 201, response.get_data(as_text=True)
    share(patient, provider)
    return {"patient": patient, "provider": provider}[role]


def csrf_header(case, client):
    """A valid X-CSRFToken for ``client``, unless the case sends a deliberately wrong one or none."""
    negative = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    if "X-CSRFToken" in case.headers and not negative:
        return {"X-CSRFToken": client.csrf_token()}
    return {}


def call(case, client):
    """Send ``case`` as ``client`` (its session cookie, on its app) and run the checks."""
    return case.call_and_validate(session=client, app=client.application, headers=csrf_header(case, client),
                                  checks=CHECKS)


def passed_the_guard(role, label, statuses):
    """True when ``role`` may call the operation and one of its answers got past the role guard."""
    return ROLES[label] not in ("any", "public", role) or bool(statuses - {401, 403, 405})


@pytest.fixture
def answers(role, request):
    """Status codes one operation's test saw; the caller's own operations must have got past the
    role guard at least once (not only 401, 403 or 405)."""
    seen = set()
    yield seen
    label = request.node.operation_label
    assert passed_the_guard(role, label, seen), (label, sorted(seen))


@schema.parametrize()
# One app (one database, one login) serves all of an operation's examples, on purpose.
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation(case, caller, answers):
    answers.add(call(case, caller).status_code)


def test_every_documented_operation_is_fuzzed(app):
    """Nothing in the document is skipped: each operation loads (with its body), and the parametrized
    test above gets one item per operation."""
    document = app.test_client().get(DOC).get_json()
    documented = {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert not [op.label for op in operations if op.has_skipped_required_body]
    assert {op.label for op in operations} == documented == set(ROLES)


@pytest.mark.isolated  # in a pytest process of its own: see the Makefile's test target
def test_stateful(app, role, caller):
    """Scenarios that follow the document's links (declared, and inferred by schemathesis) from
    what one answer returns into the next request: create, read, change, delete, share.

    Each scenario starts from the same database (the accounts, the records, the share), so that
    the same choices give the same answers."""
    seen = {}
    start = sqlite3.connect(":memory:")
    with app.app_context():
        get_db().conn.backup(start)

    class Workflow(load_schema().as_state_machine()):  # its own copy: inferring links changes it
        def setup(self):
            with app.app_context():
                start.backup(get_db().conn)

        def get_call_kwargs(self, case):
            return {"session": caller, "app": caller.application, "headers": csrf_header(case, caller)}

        def after_call(self, response, case):
            super().after_call(response, case)
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs, recorder=self.recorder)

    Workflow.run(settings=hypothesis.settings(
        max_examples=SCENARIOS, stateful_step_count=10, derandomize=not FUZZ_EXAMPLES, database=None,
        # No shrinking: a replay would get other server-made ids and codes.
        phases=[hypothesis.Phase.generate], deadline=None, suppress_health_check=list(hypothesis.HealthCheck),
    ))
    # Each of the role's operations on one record (an id in its path) found it at least once, with
    # an id from an earlier answer: 2xx, or a 422 (those views look the record up before the body).
    on_a_record = {label for label in ROLES if "{" in label and ROLES[label] == role}
    reached = {label for label, statuses in seen.items() if any(200 <= status < 300 or status == 422
                                                                for status in statuses)}
    assert on_a_record <= reached, (sorted(on_a_record - reached), seen)
