// The state of each task occurrence: the action of its latest event, ordered by device
// time (to the millisecond) and then event id. The server applies the same rule
// (server/domain/sync.py), so every phone and the clinic agree on the same events.

export function compareEvents(a, b) {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ia = a.id.toLowerCase();
  const ib = b.id.toLowerCase();
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

// occurrence -> its deciding (latest) event
export function latestEvents(events) {
  const latest = new Map();
  for (const event of events) {
    const current = latest.get(event.occurrence);
    if (!current || compareEvents(event, current) > 0) latest.set(event.occurrence, event);
  }
  return latest;
}

export function fold(events) {
  return new Map([...latestEvents(events)].map(([occurrence, event]) => [occurrence, event.action]));
}

export function doneSet(events) {
  const done = new Set();
  for (const [occurrence, action] of fold(events)) if (action === "done") done.add(occurrence);
  return done;
}

// RFC 3339 with the device's own offset, to the millisecond: what the server stores.
export function deviceTime(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 23);
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  const pad = (n) => String(n).padStart(2, "0");
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
