"""What a worker tells its operator: structured logs and Prometheus metrics."""
