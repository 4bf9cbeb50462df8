"""The bundled profiles; installed as `retrieval.bundled_profiles` (see pyproject.toml), the default ingest source."""
