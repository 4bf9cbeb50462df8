"""Questions out: the query plan, one answer strategy per intent, extractive and LLM answers and their guards,
summaries."""
