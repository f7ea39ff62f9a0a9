"""Embeddings + FAISS + keyword index, persisted as one directory."""
