"""The JSON API under /api/v1 (contract: DESIGN §4). Session-cookie auth, CSRF header on writes."""
from flask import Blueprint, current_app, jsonify, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..db import get_db
from ..push import webpush
from ..schemas.accounts import UserOut
from ..schemas.assessments import (
    AssessmentIn,
    AssessmentListOut,
    AssessmentOut,
    AssessmentQuery,
    SafetyPlanIn,
    SafetyPlanOut,
)
from ..schemas.entries import EntryIn, EntryListOut, EntryOut, EntryPatch, EntryQuery
from ..schemas.push import (
    PushEndpointIn,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    SafetyAlertSubscriptionIn,
    SafetyAlertSubscriptionOut,
)
from ..schemas.sessions import SessionIn, SessionListOut, SessionOut, SessionPatch, SessionQuery
from ..schemas.sharing import (
    AccessLogOut,
    AcknowledgeIn,
    CareTeamOut,
    InviteIn,
    InviteOut,
    PatientListOut,
    RedeemIn,
    RedeemOut,
    SharedEntryListOut,
)
from ..schemas.trends import SharedTrendsQuery, TrendsOut, TrendsQuery
from ..services import IdConflict, care, limits, records, reminders, safety, safety_alerts, sharing
from ..services import trends as trends_service
from ..timeutil import today_in
from ..web import openapi
from ..web.errors import http_error as api_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
ENTRY_OUT = EntryOut()  # dumping keeps no state on the schema: one instance serves every request
operation = openapi.Registry(bp)


def patient_today():
    return today_in(current_user.timezone)


def on_patient_today():
    """The context of a dated body: dates after the patient's today are refused."""
    return {"today": patient_today()}


def not_found(kind):
    return api_error(404, {"id": [f"No such {kind}."]})


def created_or_replayed(body, created, location):
    """201 with Location for a new record; 200 for a replay of an earlier identical create."""
    response = jsonify(body)
    response.status_code = 201 if created else 200
    response.headers["Location"] = location
    return response


CONFLICT = {"id": ["This id is already used by a different record."]}


def saved(create, out, endpoint, id_arg):
    """The answer to an idempotent create: ``create()`` gives ``(record, created, support)``;
    201 or 200 with the record and its support card, 409 when the id is taken by other content."""
    try:
        record, created, support = create()
    except IdConflict:
        raise api_error(409, CONFLICT) from None
    return created_or_replayed(out.dump({**record, "support": support}), created,
                               url_for(endpoint, **{id_arg: record["id"]}))


@operation("/me", "get", "The logged-in account", responses={200: UserOut}, role="any")
def me():
    return UserOut().dump(vars(current_user))


@operation("/csrf-token", "get", "A fresh CSRF token (the offline outbox fetches one before replaying)",
           responses={200: None}, role="any")
def csrf_token():
    return jsonify(csrf_token=generate_csrf())


# --- check-ins -----------------------------------------------------------------

@operation("/entries", "post", "Create a check-in (idempotent on a client id)", body=EntryIn,
           context=on_patient_today, responses={201: EntryOut, 200: EntryOut, 409: None})
def create_entry(data):
    return saved(lambda: records.create(get_db(), "entry", current_user.id, data), ENTRY_OUT, ".get_entry",
                 "entry_id")


@operation("/entries", "get", "List check-ins, newest first", query=EntryQuery,
           responses={200: EntryListOut})
def list_entries(query):
    limit = query.pop("limit")
    entries = records.list_own(get_db(), "entry", current_user.id, limit=limit + 1, **query)
    return EntryListOut().dump({"entries": entries[:limit], "next": next_page_url(entries, limit, query)})


def next_page_url(entries, limit, query):
    """This URL with the offset of the next page, when there is one (``entries`` holds limit + 1)."""
    if len(entries) <= limit:
        return None
    args = {**request.args.to_dict(), "offset": query["offset"] + limit, "limit": limit}
    return url_for(request.endpoint, **request.view_args, **args)


def own_entry(entry_id):
    entry = records.get_own(get_db(), "entry", current_user.id, entry_id)
    if entry is None:
        raise not_found("entry")
    return entry


@operation("/entries/<uuid:entry_id>", "get", "One check-in", responses={200: EntryOut, 404: None})
def get_entry(entry_id):
    return EntryOut().dump(own_entry(entry_id))


def own_entry_today(entry_id):
    own_entry(entry_id)  # a missing entry answers 404 before the body is read
    return on_patient_today()


@operation("/entries/<uuid:entry_id>", "patch", "Change some fields of a check-in", body=EntryPatch,
           context=own_entry_today, responses={200: EntryOut, 404: None})
def patch_entry(entry_id, data):
    entry, support = records.update(get_db(), "entry", current_user.id, entry_id, data)
    if entry is None:  # deleted in between
        raise not_found("entry")
    return EntryOut().dump({**entry, "support": support})


@operation("/entries/<uuid:entry_id>", "delete", "Delete a check-in", responses={204: None, 404: None})
def delete_entry(entry_id):
    if not records.delete_own(get_db(), "entry", current_user.id, entry_id):
        raise not_found("entry")
    return "", 204


# --- treatment sessions --------------------------------------------------------

@operation("/sessions", "post", "Log a treatment session (idempotent on a client id)", body=SessionIn,
           context=on_patient_today, responses={201: SessionOut, 200: SessionOut, 409: None})
def create_session(data):
    return saved(lambda: records.create(get_db(), "session", current_user.id, data), SessionOut(),
                 ".get_session", "session_id")


@operation("/sessions", "get", "List treatment sessions, newest first", query=SessionQuery,
           responses={200: SessionListOut})
def list_sessions(query):
    return SessionListOut().dump({"sessions": records.list_own(get_db(), "session", current_user.id, **query)})


def own_session(session_id):
    session = records.get_own(get_db(), "session", current_user.id, session_id)
    if session is None:
        raise not_found("session")
    return session


@operation("/sessions/<uuid:session_id>", "get", "One treatment session", responses={200: SessionOut, 404: None})
def get_session(session_id):
    return SessionOut().dump(own_session(session_id))


def own_session_today(session_id):
    """The rules across fields (dose, blood pressure) apply to the session as it will be."""
    return {"today": patient_today(), "current": own_session(session_id)}


@operation("/sessions/<uuid:session_id>", "patch", "Change a session or add its reflection",
           body=SessionPatch, context=own_session_today, responses={200: SessionOut, 404: None})
def patch_session(session_id, data):
    session, support = records.update(get_db(), "session", current_user.id, session_id, data)
    if session is None:
        raise not_found("session")
    return SessionOut().dump({**session, "support": support})


@operation("/sessions/<uuid:session_id>", "delete", "Delete a treatment session", responses={204: None, 404: None})
def delete_session(session_id):
    if not records.delete_own(get_db(), "session", current_user.id, session_id):
        raise not_found("session")
    return "", 204


# --- questionnaires and the safety plan ------------------------------------------

@operation("/assessments", "post", "Save a completed GAD-7 or PHQ-9 (scored by the server; idempotent on a client id)",
           body=AssessmentIn, context=on_patient_today,
           responses={201: AssessmentOut, 200: AssessmentOut, 409: None})
def create_assessment(data):
    return saved(lambda: records.create_assessment(get_db(), current_user.id, data), AssessmentOut(),
                 ".get_assessment", "assessment_id")


@operation("/assessments", "get", "List questionnaire results, newest first", query=AssessmentQuery,
           responses={200: AssessmentListOut})
def list_assessments(query):
    assessments = records.list_own(get_db(), "assessment", current_user.id, **query)
    return AssessmentListOut().dump({"assessments": assessments})


def own_assessment(assessment_id):
    assessment = records.get_own(get_db(), "assessment", current_user.id, assessment_id)
    if assessment is None:
        raise not_found("assessment")
    return assessment


@operation("/assessments/<uuid:assessment_id>", "get", "One questionnaire result",
           responses={200: AssessmentOut, 404: None})
def get_assessment(assessment_id):
    return AssessmentOut().dump(own_assessment(assessment_id))


@operation("/assessments/<uuid:assessment_id>", "delete", "Delete a questionnaire result",
           responses={204: None, 404: None})
def delete_assessment(assessment_id):
    if not records.delete_own(get_db(), "assessment", current_user.id, assessment_id):
        raise not_found("assessment")
    return "", 204


@operation("/safety-plan", "get", "My safety plan (Stanley-Brown steps)", responses={200: SafetyPlanOut})
def get_safety_plan():
    return SafetyPlanOut().dump(safety.plan(get_db(), current_user.id))


@operation("/safety-plan", "put", "Replace my safety plan (fields left out become empty)", body=SafetyPlanIn,
           responses={200: SafetyPlanOut})
def put_safety_plan(data):
    return SafetyPlanOut().dump(safety.save_plan(get_db(), current_user.id, data))


# --- trends --------------------------------------------------------------------

@operation("/trends", "get", "Daily series, rolling mean, session response, trigger effects, course",
           query=TrendsQuery, responses={200: TrendsOut})
def trends(query):
    # build() already returns TrendsOut's shape in JSON types (tests hold it to that schema);
    # a marshmallow dump of ~1,800 days would add 25 ms to an all-time request.
    return jsonify(trends_service.gather(get_db(), current_user.id, current_user.timezone, query["days"]))


# --- reminders (web push) ------------------------------------------------------

@operation("/push/key", "get", "The server's VAPID application server key, for pushManager.subscribe()",
           responses={200: PushKeyOut})
def push_key():
    return PushKeyOut().dump({"public_key": webpush.public_key(current_app)})


def push_services():
    """The context of a push subscription: the push services its endpoint may be on."""
    config = current_app.config
    return {"hosts": config["PUSH_HOSTS"], "loopback": config["PUSH_LOOPBACK"]}


@operation("/push/subscriptions", "post",
           "Turn reminders on for this browser (or change its time and days): its push subscription, "
           "a local time HH:MM and days 0 (Monday) to 6 (Sunday)", body=PushSubscriptionIn,
           context=push_services, responses={201: PushSubscriptionOut, 200: PushSubscriptionOut})
def create_push_subscription(data):
    try:
        subscription, created = reminders.subscribe(get_db(), current_user.id, data, request.user_agent.string)
    except reminders.TooManyDevices:
        message = "Reminders are on for too many browsers: remove one on the Account page."
        raise api_error(422, {"endpoint": [message]}) from None
    return PushSubscriptionOut().dump(subscription), 201 if created else 200


@operation("/push/subscriptions", "delete", "Turn reminders off for a browser (its endpoint)",
           body=PushEndpointIn, responses={204: None, 404: None})
def delete_push_subscription(data):
    if not reminders.unsubscribe(get_db(), current_user.id, data["endpoint"]):
        raise api_error(404, {"endpoint": ["No reminders are on for this endpoint."]})
    return "", 204


# --- safety alerts (web push to providers) ---------------------------------------

@operation("/safety-alerts/key", "get", "The server's VAPID application server key, for pushManager.subscribe()",
           responses={200: PushKeyOut}, role="provider")
def safety_alerts_key() -> dict:
    return PushKeyOut().dump({"public_key": webpush.public_key(current_app)})


@operation("/safety-alerts/subscriptions", "post",
           "Turn safety alerts on for this browser (its push subscription): a notification without "
           "names or health data when a patient's safety flag opens", body=SafetyAlertSubscriptionIn,
           context=push_services, responses={201: SafetyAlertSubscriptionOut, 200: SafetyAlertSubscriptionOut},
           role="provider")
def create_safety_alert_subscription(data: dict) -> tuple[dict, int]:
    try:
        subscription, created = safety_alerts.subscribe(get_db(), current_user.id, data, request.user_agent.string)
    except safety_alerts.TooManyDevices:
        message = "Safety alerts are on in too many browsers: remove one on the Account page."
        raise api_error(422, {"endpoint": [message]}) from None
    return SafetyAlertSubscriptionOut().dump(subscription), 201 if created else 200


@operation("/safety-alerts/subscriptions", "delete", "Turn safety alerts off for a browser (its endpoint)",
           body=PushEndpointIn, responses={204: None, 404: None}, role="provider")
def delete_safety_alert_subscription(data: dict) -> tuple[str, int]:
    if not safety_alerts.unsubscribe(get_db(), current_user.id, data["endpoint"]):
        raise api_error(404, {"endpoint": ["No safety alerts are on for this endpoint."]})
    return "", 204


# --- sharing: the patient's side ----------------------------------------------

@operation("/invites", "post", "Create a single-use share code (valid 72 hours)", body=InviteIn,
           responses={201: InviteOut})
def create_invite(data):
    invite = sharing.create_invite(get_db(), current_user.id, data["scope"])
    return InviteOut().dump(invite), 201


@operation("/invites/<code>", "delete", "Cancel a share code that hasn't been used", responses={204: None, 404: None})
def cancel_invite(code):
    if not sharing.cancel_invite(get_db(), current_user.id, code):
        raise api_error(404, {"code": ["No unused share code like that."]})
    return "", 204


@operation("/care-team", "get", "Who can see my diary", responses={200: CareTeamOut}, links={200: {
    "StopSharing": ("revoke_share", {"provider_id": "$response.body#/providers/0/id"}),
}})
def care_team():
    return CareTeamOut().dump({"providers": sharing.care_team(get_db(), current_user.id)})


@operation("/care-team/<int(max=9223372036854775807):provider_id>", "delete",
           "Stop sharing with a provider, effective immediately", responses={204: None, 404: None})
def revoke_share(provider_id):
    if not sharing.stop_sharing(get_db(), current_user.id, provider_id):
        raise api_error(404, {"provider_id": ["You don't share with this provider."]})
    return "", 204


@operation("/access-log", "get", "Who viewed or exported my diary, and when", responses={200: AccessLogOut})
def access_log():
    return AccessLogOut().dump({"events": sharing.access_events(get_db(), current_user.id)})


# --- sharing: the provider's side ----------------------------------------------

@operation("/invites/redeem", "post", "Redeem a patient's share code", body=RedeemIn,
           responses={200: RedeemOut, 422: None, 429: None}, role="provider")
def redeem_invite(data):
    try:
        patient = care.redeem(get_db(), current_user.id, data["code"], config=current_app.config,
                              address=request.remote_addr)
    except limits.Throttled as throttled:
        raise api_error(429, {"code": [care.TOO_MANY_CODES.format(wait=throttled.wait)]},
                        retry_after=throttled.retry_after) from None
    except care.CodeNotRedeemed as refused:
        raise api_error(422, {"code": [str(refused)]}) from None
    return RedeemOut().dump({"patient": patient})


FIRST_PATIENT = {"patient_id": "$response.body#/patients/0/id"}


@operation("/patients", "get", "Patients sharing with me, with attention flags", responses={200: PatientListOut},
           role="provider", links={200: {
               "PatientTrends": ("patient_trends", FIRST_PATIENT),
               "PatientEntries": ("patient_entries", FIRST_PATIENT),
               "AcknowledgeSafety": ("acknowledge_safety", FIRST_PATIENT),
           }})
def list_patients():
    patients = care.patient_summaries(get_db(), current_user.id, action="api.patients", sparklines=False)
    # The summaries already hold PatientSummaryOut's fields in JSON types (tests hold the answer to
    # that schema); a marshmallow dump of 500 patients took as long as everything else together.
    return jsonify({"patients": [{name: p[name] for name in PATIENT_FIELDS} for p in patients]})


PATIENT_FIELDS = tuple(PatientListOut().fields["patients"].inner.schema.fields)  # type: ignore[attr-defined]


def shared_patient(patient_id):
    patient, share = care.shared_patient(get_db(), current_user.id, patient_id)
    if patient is None:
        raise api_error(404, {"patient_id": ["No patient shares their diary with you under that id."]})
    return patient, share


@operation("/patients/<int(max=9223372036854775807):patient_id>/safety/acknowledge", "post",
           "Acknowledge a patient's safety flag (audited; shown in the patient's access log)",
           body=AcknowledgeIn, empty_body=True, find=shared_patient,
           responses={204: None, 404: None}, role="provider")
def acknowledge_safety(patient_id, data, found):
    safety.acknowledge(get_db(), current_user.id, patient_id, data.get("through"))
    return "", 204


@operation("/patients/<int(max=9223372036854775807):patient_id>/trends", "get",
           "A sharing patient's trends (without private entries)", query=SharedTrendsQuery,
           find=shared_patient, responses={200: TrendsOut, 404: None}, role="provider")
def patient_trends(patient_id, query, found):
    patient, share = found
    return jsonify(care.shared_trends(get_db(), current_user.id, patient, share, query.get("days"),
                                      query.get("range")))


@operation("/patients/<int(max=9223372036854775807):patient_id>/entries", "get",
           "A sharing patient's shared check-ins (notes only with full sharing)", query=EntryQuery,
           find=shared_patient, responses={200: SharedEntryListOut, 404: None}, role="provider")
def patient_entries(patient_id, query, found):
    patient, share = found
    limit = query.pop("limit")
    entries = care.shared_entries(get_db(), current_user.id, patient, share, limit=limit + 1, **query)
    return SharedEntryListOut().dump({"entries": entries[:limit], "next": next_page_url(entries, limit, query)})


@operation("/openapi.json", "get", "This OpenAPI 3 document", responses={200: None}, role="public")
def openapi_document():
    return jsonify(openapi.document(operation))
