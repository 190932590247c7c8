// The one owner of fetch: JSON in and out, the error envelope turned into ApiError.
import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, fields, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
    this.retryAfter = retryAfter;  // seconds the server asked us to wait, or null
  }
}

// Told of every 401 to a request that carried a token, with that token: the server no longer
// knows it (connection.js decides what that means for this phone).
export const unauthorized = new EventTarget();

export async function request(method, path, { token, body, etag } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (etag) headers["If-None-Match"] = etag;
  // A network failure rejects here with a TypeError: callers treat that as "offline".
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
  });
  if (response.status === 304) return { status: 304, data: null, etag };
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && token) unauthorized.dispatchEvent(new CustomEvent("token", { detail: token }));
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "server_error",
      error.message || t("problem.server"), error.fields,
      retryAfterSeconds(response.headers.get("Retry-After"), Date.now()));
  }
  return { status: response.status, data, etag: response.headers.get("ETag") };
}

export const isOffline = (error) => error instanceof TypeError;

// Worth trying again later as it is: no connection, too many requests, or the server's trouble.
export const isTemporary = (error) =>
  isOffline(error) || (error instanceof ApiError && (error.status === 429 || error.status >= 500));

// Retry-After is seconds or an HTTP date; null when absent or unreadable.
export function retryAfterSeconds(value, now) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN;  // a date names its day and month
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

// How long to wait before the next try: our own backoff, or longer if the server asked.
export function retryDelay(backoffMs, error) {
  const asked = error instanceof ApiError && error.retryAfter !== null ? error.retryAfter * 1000 : 0;
  return Math.max(backoffMs, asked);
}
