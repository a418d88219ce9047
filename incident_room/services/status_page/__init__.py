"""The public status page: components and their states, the incidents made public, the
page's reads (overall state, updates, 90 days of history) and the cached rendering.

Only posted status-page updates reach the public, scrubbed as the update drafter scrubs
them; drills and private incidents never do.
"""
