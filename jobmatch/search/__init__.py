"""Embedding and vector search. No Flask imports: usable from jobs, CLI and benchmarks."""
