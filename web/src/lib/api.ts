import type { ErrorCode } from '@dutyledger/contracts';

/**
 * The one HTTP client of the web app: JSON in and out, cookie session (`credentials: 'same-origin'`),
 * CSRF token header on every unsafe method, and one error type (`ApiError`) carrying the server's
 * `{code, message, fields?}`.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'NETWORK' | string;
  /** field-level messages; keys are dotted paths such as `name` or `post.title` */
  readonly fields?: Record<string, string>;

  constructor(status: number, code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

type Navigator = (path: string) => void;
let navigator: Navigator = (path) => {
  if (window.location.pathname !== path) window.location.assign(path);
};

/** The app installs React Router's navigate here so redirects do not reload the page. */
export function setNavigator(fn: Navigator): void {
  navigator = fn;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue | QueryValue[]>;

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      if (one === undefined || one === null || one === '') continue;
      sp.append(k, String(one));
    }
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /**
   * What to do on 401. `redirect` (default) goes to /login; `throw` only throws (login form, session probe).
   */
  on401?: 'redirect' | 'throw';
  signal?: AbortSignal;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function rememberCsrf(data: unknown): void {
  if (data && typeof data === 'object' && 'csrfToken' in data) {
    const t = (data as { csrfToken?: unknown }).csrfToken;
    if (typeof t === 'string' && t) csrfToken = t;
  }
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(`${path}${buildQuery(opts.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }

  const text = await res.text();
  let data: unknown;
  let unparsable = false;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      unparsable = true;
    }
  }
  // e.g. an HTML page where JSON was expected (a route the server does not have yet, a proxy's error page)
  if (res.ok && unparsable) throw new ApiError(res.status, 'INTERNAL', '服务器返回了无法识别的内容，请稍后再试');

  if (!res.ok) {
    const err = data && typeof data === 'object' ? (data as { code?: string; message?: string; fields?: Record<string, string> }) : {};
    const code = err.code ?? (res.status === 401 ? 'UNAUTHENTICATED' : res.status === 403 ? 'FORBIDDEN' : 'INTERNAL');
    const message = err.message ?? defaultMessage(res.status);
    const apiErr = new ApiError(res.status, code, message, err.fields);
    if (res.status === 401 && (opts.on401 ?? 'redirect') === 'redirect') {
      csrfToken = null;
      navigator('/login');
    } else if (code === 'PASSWORD_CHANGE_REQUIRED') {
      navigator('/password');
    }
    throw apiErr;
  }

  rememberCsrf(data);
  return data as T;
}

function defaultMessage(status: number): string {
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '请求的内容不存在或无权查看';
  if (status === 409) return '操作与当前状态冲突，请刷新后重试';
  if (status === 413) return '上传内容过大';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return '服务器内部错误，请稍后再试';
  return `请求失败（${status}）`;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<RequestOptions, 'query' | 'body'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/** `{items,total,page,pageSize}` of every paged list. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
