"""research-bot's retrieval library: profiles, the Chroma store, search, answers, summaries, metrics.

Nothing in this package imports discord; the bot and the CLI are thin adapters over it.
"""
