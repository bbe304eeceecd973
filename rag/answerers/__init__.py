"""Answerer backends; ``rag.pipeline.build_components`` picks one by setting."""
