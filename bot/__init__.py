"""research-bot's adapters: the Discord bot and the `research-bot` command line, both over `retrieval`."""
