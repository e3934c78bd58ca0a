// Calls the sidecar's API with the bearer token from sessionStorage; on 401, asks for a token and retries.

const TOKEN_KEY = 'duckside.token';

/** An error answer of the API: `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * A GET-only client of `api/v1` relative to the page. `askToken(rejected)` resolves with a new token.
 */
export class ApiClient {
  constructor(askToken, storage = window.sessionStorage) {
    this.askToken = askToken;
    this.storage = storage;
  }

  /** GETs `api/v1/<path>` with the given query parameters (undefined, null and '' are left out). */
  async get(path, params = {}) {
    const url = new URL(`api/v1/${path}`, document.baseURI);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    for (;;) {
      const token = this.storage.getItem(TOKEN_KEY);
      const headers = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(url, { headers, cache: 'no-store' });
      if (response.status === 401) {
        this.storage.setItem(TOKEN_KEY, await this.askToken(Boolean(token)));
        continue;
      }
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        // The JSON API's `{ error: { code, message } }`, or the Prometheus API's `{ errorType, error }`.
        const error =
          typeof body?.error === 'string'
            ? { code: body.errorType, message: body.error }
            : (body?.error ?? {});
        throw new ApiError(response.status, error.code ?? 'http', error.message ?? `HTTP ${response.status}`);
      }
      return body;
    }
  }
}
