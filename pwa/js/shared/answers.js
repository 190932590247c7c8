// The client's answers to their plan's questions (hair length, gender...). An answer is kept on
// the phone first (kv "answers": { question: value }) and leaves it only once the server has
// it, so one given offline is never lost; each sync sends them before the ticks (sync.js), from
// the page or the service worker, and the plan the server rebuilds comes back with that sync.
import { ApiError, isOffline, request } from "./api.js";
import { get, promised, transaction } from "./store.js";

const KEY = "answers";

// Each of the plan's questions: { id, label, options, answer (null: unanswered), planned, waiting }.
// Answers kept on the phone and not yet sent count as given. A plan built before the app asked
// has no `questions`; every question had an answer then (its `answers`). Pure.
export function questionsOf(plan, bundle, kept = {}) {
  const listed = plan?.questions ?? (bundle?.questions || []).map((q) => ({
    id: q.id, label: q.label, options: q.options,
    answer: plan?.answers?.[q.id] ?? null, planned: plan?.answers?.[q.id] ?? q.default,
  }));
  return listed.map((q) => ({ ...q, answer: kept[q.id] ?? q.answer, waiting: q.id in kept }));
}

export const unanswered = (questions) => questions.filter((q) => q.answer === null);

// What stays kept after `sent` reached the server: an answer changed meanwhile is sent next. Pure.
export function leftAfter(kept, sent) {
  return Object.fromEntries(Object.entries(kept).filter(([id, value]) => sent[id] !== value));
}

export const kept = async () => (await get(KEY)) || {};

// Keep answers on the phone, over any not yet sent.
export function keep(answers) {
  return transaction(["kv"], "readwrite", async (s) => {
    s.kv.put({ ...((await promised(s.kv.get(KEY))) || {}), ...answers }, KEY);
  });
}

// Send the kept answers; true when they left the phone. Offline or signed out, the sync stops
// as it would for the ticks (the error is thrown); a refusal for good (422: a question this plan
// no longer asks) drops them, as they could never be stored; any other failure keeps them for
// the next sync without holding up the ticks.
export async function sendAnswers(token) {
  const sent = await kept();
  if (!Object.keys(sent).length) return false;
  try {
    await request("PUT", "/api/v1/me/answers", { token, body: { answers: sent } });
  } catch (error) {
    if (isOffline(error) || (error instanceof ApiError && error.status === 401)) throw error;
    if (!(error instanceof ApiError && error.status === 422)) return false;
  }
  await transaction(["kv"], "readwrite", async (s) => {
    s.kv.put(leftAfter((await promised(s.kv.get(KEY))) || {}, sent), KEY);
  });
  return true;
}
