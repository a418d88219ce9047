"""The post-mortem's exports: PDF (WeasyPrint, locked url_fetcher, off the worker), Markdown,
and the JSON archive of the whole incident. All render one document (services.postmortem.draft)."""
