// Check-ins answered on this phone (kv "checkins"): kept first, with an id made here, and sent
// by each sync (sync.js) until the server has them; a resend is stored once. The red flags are
// decided here at once (red_flags.js), so the call screen needs no network.
import { ApiError, isOffline, request } from "./api.js";
import { deviceTime } from "./fold.js";
import { raised } from "./red_flags.js";
import { get, promised, transaction } from "./store.js";

const KEY = "checkins";

// The day after the latest session begun by `date` (day 1: the day it ended), as the server
// counts it (server/domain/identity.py); sessions' times are in the plan's zone. Pure.
export function dayAfterSession(sessions, date) {
  if (!sessions.length) return 1;
  const begun = sessions.filter((s) => s.start.slice(0, 10) <= date);
  const session = begun.length ? begun[begun.length - 1] : sessions[0];
  const days = (Date.parse(`${date}T00:00Z`) - Date.parse(`${session.end.slice(0, 10)}T00:00Z`)) / 86400000;
  return Math.round(days) + 1;
}

// A check-in as it is kept and sent, with the red flags it raises. Pure (but for its id; `id`:
// the one its form made, which a photo added in the form already carries).
export function makeCheckin(occurrence, answers, rules, day, now = new Date(), id = crypto.randomUUID()) {
  return { id, occurrence, answers, at: deviceTime(now), red_flags: raised(rules, answers, day), sent: false };
}

export const checkins = async () => (await get(KEY)) || [];

export function keepCheckin(checkin) {
  return transaction(["kv"], "readwrite", async (s) => {
    s.kv.put([...((await promised(s.kv.get(KEY))) || []), checkin], KEY);
  });
}

// Send the unsent check-ins; offline or signed out, the sync stops as for ticks (the error is
// thrown); refused for good (422, 409) they are marked so, never sent again.
export async function sendCheckins(token) {
  const unsent = (await checkins()).filter((c) => !c.sent && !c.refused);
  if (!unsent.length) return 0;
  const body = { checkins: unsent.map(({ id, occurrence, answers, at }) => ({ id, occurrence, answers, at })) };
  let mark = { sent: true };
  try {
    await request("POST", "/api/v1/me/checkins", { token, body });
  } catch (error) {
    if (isOffline(error) || !(error instanceof ApiError) || ![409, 422].includes(error.status)) throw error;
    mark = { refused: true };
  }
  const ids = new Set(unsent.map((c) => c.id));
  await transaction(["kv"], "readwrite", async (s) => {
    const kept = (await promised(s.kv.get(KEY))) || [];
    s.kv.put(kept.map((c) => (ids.has(c.id) ? { ...c, ...mark } : c)), KEY);
  });
  return unsent.length;
}
