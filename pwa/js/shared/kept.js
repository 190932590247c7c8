// Ticks kept for a client this phone no longer shows, and sign-outs the server is still owed.
// kv "kept": [{ id, client: { id, name, clinic }, token, cursor, events }], one per earlier
// device. token: that device's, while the server may still know it: its ticks are sent with
// it, into that client's record only, then it is signed out. null once refused: the ticks wait
// for a new link to that client, or for the client to download or discard them.
import { ApiError, request } from "./api.js";
import { get, promised, transaction } from "./store.js";

const BATCH = 500;
const ALL_STORES = ["kv", "outbox", "events"];

// What a sync takes of a kept tick: the task's title and day are for the client's download.
const asSent = ({ id, occurrence, action, at }) => ({ id, occurrence, action, at });

// Each tick with its task's title and day, from the plan it was made in. Pure.
export function describe(events, plan, bundle) {
  const occurrences = new Map((plan?.occurrences || []).map((o) => [o.id, o]));
  const titles = new Map((bundle?.tasks || []).map((t) => [t.id, t.title]));
  return events.map((event) => {
    const o = occurrences.get(event.occurrence);
    return { ...asSent(event), task: o ? titles.get(o.task) || o.task : null, date: o ? o.date : null };
  });
}

// The phone now shows `client` (the answer to an enrollment), or nothing after signing out
// (client null). Pure: given what is stored, what to keep apart, and which kept ticks come back
// to the outbox (that client's own, with ids the server has never seen or stores once).
export function handOver(held, client) {
  const { token, profile, disconnected, cursor, outbox, plan, bundle } = held;
  let kept = [...(held.kept || [])];
  const same = Boolean(client) && profile?.id === client.id;
  const old = { id: crypto.randomUUID(), client: profile && { id: profile.id, name: profile.name, clinic: profile.clinic } };
  if (profile && !same) kept.push({ ...old, token: disconnected ? null : token, cursor, events: describe(outbox, plan, bundle) });
  // The same client on a new device: the old one only needs signing out.
  else if (profile && !disconnected) kept.push({ ...old, token, cursor, events: [] });
  const mine = (g) => Boolean(client) && g.client.id === client.id;
  const back = kept.filter(mine).flatMap((g) => g.events.map(asSent));
  kept = kept.map((g) => (mine(g) ? { ...g, events: [] } : g)).filter(live);
  return { keepOutbox: same, back, kept };
}

// A group still worth keeping: ticks to send or show, or a sign-out to send.
const live = (group) => group.events.length > 0 || group.token !== null;

// Store the hand-over in one transaction: nothing is half-moved if the page closes.
export function connect(token, client) {
  return transaction(ALL_STORES, "readwrite", async (s) => {
    const keys = ["token", "profile", "disconnected", "cursor", "plan", "bundle", "kept"];
    const values = await Promise.all([...keys.map((k) => promised(s.kv.get(k))), promised(s.outbox.getAll())]);
    const held = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
    const change = handOver({ ...held, outbox: values[keys.length] }, client);
    if (!change.keepOutbox) {
      s.kv.clear(); s.outbox.clear(); s.events.clear();
    }
    for (const event of change.back) { s.outbox.put(event); s.events.put(event); }
    s.kv.delete("disconnected");
    s.kv.put(change.kept, "kept");
    if (client) {
      s.kv.put(token, "token");
      s.kv.put(client, "profile");
    }
  });
}

// Signing out: the plan goes; unsent ticks and the sign-out itself wait here until the server
// can be told (sendKept), at once when online.
export const leave = () => connect(null, null);

// Change one group (by id) in one transaction; a group left with nothing to do goes.
function update(id, change) {
  return transaction(["kv"], "readwrite", async (s) => {
    const kept = (await promised(s.kv.get("kept"))) || [];
    s.kv.put(kept.map((g) => (g.id === id ? change(g) : g)).filter(live), "kept");
  });
}

// The ticks go; a sign-out still owed is still sent.
export const discard = (id) => update(id, (g) => ({ ...g, events: [] }));

// Send each group's ticks with its own token, then sign that device out. Offline or refused for
// now: tried again at the next sync. Run before every sync, by the page and the worker; true
// when something was sent or refused, so screens redraw.
export async function sendKept() {
  const owed = ((await get("kept")) || []).filter((g) => g.token);
  for (const group of owed) {
    try {
      await deliver(group);
    } catch (error) {
      // Refused: that device is gone, its ticks stay here. Anything else passes: try later.
      if (error instanceof ApiError && error.status === 401) await update(group.id, (g) => ({ ...g, token: null }));
    }
  }
  return owed.length > 0;
}

async function deliver(group) {
  let { events, cursor } = group;
  while (events.length) {
    const body = { events: events.slice(0, BATCH).map(asSent), cursor: cursor || null };
    const { data } = await request("POST", "/api/v1/me/sync", { token: group.token, body });
    const answered = new Set([...data.accepted, ...data.rejected.map((r) => r.id)]);
    if (!answered.size) return;  // nothing settled: leave the sign-out for the next try
    events = events.filter((e) => !answered.has(e.id));
    cursor = data.cursor;
    await update(group.id, (g) => ({ ...g, cursor, events: g.events.filter((e) => !answered.has(e.id)) }));
  }
  await request("DELETE", "/api/v1/me/device", { token: group.token });
  await update(group.id, (g) => ({ ...g, token: null }));
}
