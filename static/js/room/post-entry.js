// Posting a new entry the way the composer does: shown at once as "sending…", stamped with
// the server's "now" unless a time is given, queued with its op_id while offline, replaced
// by the server's copy when acknowledged and taken away again if refused.

/** `fields`: {kind, text, occurred_at?, details?}; resolves with the ack. */
export async function postEntry({ store, connection, clock }, fields) {
  const entry = {
    id: crypto.randomUUID(), occurred_at: clock.now().toISOString(), details: {}, ...fields,
  };
  store.putPending({
    ...entry, recorded_at: clock.now().toISOString(), author: store.me, deleted: false,
  });
  const { id, ...payload } = entry;
  const ack = await connection.change("timeline.add", { entry_id: id, ...payload });
  if (ack.ok) store.acceptEntry(ack.entry);
  else store.dropEntry(id);
  return ack;
}
