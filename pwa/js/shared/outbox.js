// Ticks are written here first, with the event, in one transaction; they leave the outbox
// only when the server has acknowledged them (accepted, or rejected with a reason).
import { compareEvents, deviceTime } from "./fold.js";
import { all, transaction } from "./store.js";

export function makeEvent(occurrence, action, now = new Date()) {
  return { id: crypto.randomUUID(), occurrence, action, at: deviceTime(now) };
}

export async function record(occurrence, action, now = new Date()) {
  const event = makeEvent(occurrence, action, now);
  await transaction(["outbox", "events"], "readwrite", (s) => {
    s.outbox.put(event);
    s.events.put(event);
  });
  return event;
}

// In the order they were made, so the clinic's log reads in the client's order.
export const pending = async () => (await all("outbox")).sort(compareEvents);

// What a sync reply changes on the phone: acknowledged ticks leave the outbox, rejected ones
// are forgotten (the server will never hold them) but listed as refused, with the tick they
// were, for the client to read; pulled events are kept. Pure, for tests.
export function settlement(reply, sent = []) {
  const rejected = reply.rejected.map((r) => r.id);
  const ticks = new Map(sent.map((e) => [e.id, e]));
  return {
    outboxDeletes: [...reply.accepted, ...rejected],
    eventDeletes: rejected,
    eventPuts: reply.events,
    cursor: reply.cursor,
    refused: reply.rejected.filter((r) => ticks.has(r.id))
      .map(({ id, code, reason }) => ({ id, code, reason, occurrence: ticks.get(id).occurrence, action: ticks.get(id).action })),
  };
}

export async function settle(reply, sent) {
  const change = settlement(reply, sent);
  await transaction(["outbox", "events", "kv"], "readwrite", (s) => {
    for (const id of change.outboxDeletes) s.outbox.delete(id);
    for (const id of change.eventDeletes) s.events.delete(id);
    for (const event of change.eventPuts) s.events.put(event);
    s.kv.put(change.cursor, "cursor");
    if (change.refused.length) {
      const stored = s.kv.get("refused");
      stored.onsuccess = () => s.kv.put([...(stored.result || []), ...change.refused], "refused");
    }
  });
}
