"""Researchers from live sources: OpenAlex and arXiv clients, their response models, the mapping to profiles."""
