"""Load and render benchmarks for Incident Room: see bench/README.md."""
