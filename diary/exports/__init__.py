"""The formats a diary leaves in: CSV rows, FHIR R4 resources, streamed JSON. Pure: records in,
text out (no Flask, no SQL)."""
