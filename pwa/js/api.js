// The one owner of fetch: JSON in and out, the error envelope turned into ApiError.

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

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
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "server_error",
      error.message || "Something went wrong. Try again later.", error.fields);
  }
  return { status: response.status, data, etag: response.headers.get("ETag") };
}

export const isOffline = (error) => error instanceof TypeError;
