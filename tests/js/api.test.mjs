import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { ApiError, isTemporary, request, retryAfterSeconds, retryDelay } from "../../pwa/js/shared/api.js";
import { failedState } from "../../pwa/js/shared/sync.js";

const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

function answer(status, body, headers = {}) {
  globalThis.fetch = async () => new Response(JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json", ...headers },
  });
}

const LIMITED = { error: { code: "rate_limited", message: "Too many requests; try again later." } };

test("a 429 becomes an ApiError that carries the server's Retry-After", async () => {
  answer(429, LIMITED, { "Retry-After": "120" });
  const error = await request("POST", "/api/v1/me/sync", { token: "t", body: { events: [] } }).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 429);
  assert.equal(error.code, "rate_limited");
  assert.equal(error.retryAfter, 120);
});

test("an error without Retry-After has none", async () => {
  answer(400, { error: { code: "invalid_enrollment_code", message: "No." } });
  const error = await request("POST", "/api/v1/enroll", { body: { code: "x" } }).catch((e) => e);
  assert.equal(error.retryAfter, null);
});

test("Retry-After is read as seconds or as an HTTP date", () => {
  const now = Date.UTC(2026, 2, 20, 12, 0, 0);
  assert.equal(retryAfterSeconds("90", now), 90);
  assert.equal(retryAfterSeconds(" 0 ", now), 0);
  assert.equal(retryAfterSeconds("Fri, 20 Mar 2026 12:05:00 GMT", now), 300);
  assert.equal(retryAfterSeconds("Fri, 20 Mar 2026 11:00:00 GMT", now), 0);  // already past
  for (const nothing of [null, undefined, "", "soon", "-5"]) assert.equal(retryAfterSeconds(nothing, now), null);
});

test("the next try waits for our backoff or the server's Retry-After, whichever is longer", () => {
  const limited = new ApiError(429, "rate_limited", "…", {}, 600);
  assert.equal(retryDelay(2000, limited), 600000);
  assert.equal(retryDelay(2000, new ApiError(429, "rate_limited", "…", {}, 1)), 2000);
  assert.equal(retryDelay(8000, new ApiError(500, "server_error", "…")), 8000);
  assert.equal(retryDelay(4000, new TypeError("Failed to fetch")), 4000);
  assert.equal(retryDelay(4000, undefined), 4000);
});

test("too many requests is temporary, like being offline or the server's trouble", () => {
  assert.ok(isTemporary(new ApiError(429, "rate_limited", "…")));
  assert.ok(isTemporary(new ApiError(503, "protocol_unavailable", "…")));
  assert.ok(isTemporary(new TypeError("Failed to fetch")));
  assert.ok(!isTemporary(new ApiError(400, "invalid_enrollment_code", "…")));
  assert.ok(!isTemporary(new ApiError(401, "unauthorized", "…")));
});

test("a rate-limited sync keeps the ticks and retries; only a 401 signs the phone out", () => {
  assert.equal(failedState(new ApiError(429, "rate_limited", "…", {}, 60)), "error");
  assert.equal(failedState(new ApiError(500, "server_error", "…")), "error");
  assert.equal(failedState(new TypeError("Failed to fetch")), "offline");
  assert.equal(failedState(new ApiError(401, "unauthorized", "…")), "signed-out");
});
