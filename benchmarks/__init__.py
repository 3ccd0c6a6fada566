"""Benchmarks of the suite: what each reproduction costs and where the time goes.

Run ``python -m benchmarks`` (full) or ``python -m benchmarks --smoke`` (tiny shapes, under a minute);
it writes ``results/benchmarks.csv`` and ``results/benchmarks.md``.
"""
