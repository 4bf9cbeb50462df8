"""LLM prompts as data; installed as `retrieval.prompts` (see pyproject.toml) and read with importlib.resources."""
