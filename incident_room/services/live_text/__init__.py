"""Live text: the text of timeline entries and post-mortem sections co-edited as CRDT
documents (pycrdt on the server, Yjs in the browser), settled into ordinary revisions.

    policy.py     document names, when a burst settles, when updates are folded
    documents.py  a document's stored state, loading it, applying and writing updates
    records.py    the entry or section behind a document: its text, rights, committing
    editing.py    what the socket events do: open, update, close, settle
"""
