"""The store and what searches it: Chroma collections, embeddings, passages, hybrid search, lookup by name."""
