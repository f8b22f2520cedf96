"""Taking data out: entries.csv and assessments.csv (streamed), FHIR, and everything in one file."""
from flask import Blueprint, current_app
from flask_login import current_user
from werkzeug.wrappers import Response

from ..db import get_db
from ..exports import fhir
from ..services import export
from ..web.auth import patients_only
from ..web.downloads import date_range, export_filename, streamed_csv, streamed_json

bp = Blueprint("export", __name__, url_prefix="/export")
bp.before_request(patients_only)


@bp.route("/entries.csv")
def entries_csv() -> Response:
    chunks = export.entries_csv(get_db(), current_user.id, include_private=True, with_text=True, **date_range())
    return streamed_csv(chunks, export_filename("symptom-diary-entries"))


@bp.route("/assessments.csv")
def assessments_csv() -> Response:
    chunks = export.assessments_csv(get_db(), current_user.id, **date_range())
    return streamed_csv(chunks, export_filename("symptom-diary-assessments"))


@bp.route("/fhir.json")
def fhir_json() -> Response:
    document = export.fhir_bundle(get_db(), current_user.id, base=current_app.config["FHIR_SYSTEM_BASE"],
                                  **date_range())
    return streamed_json(document, export_filename("symptom-diary-fhir", "json"), fhir.MEDIA_TYPE)


@bp.route("/everything.json")
def everything() -> Response:
    """Everything stored about the patient, in one JSON file ("Download my data")."""
    document = export.everything(get_db(), current_user.id)
    return streamed_json(document, export_filename("symptom-diary-everything", "json"))
