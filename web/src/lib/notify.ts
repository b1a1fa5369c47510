import type { App } from 'antd';
import { isApiError } from './api';

/**
 * antd's `message`/`notification`/`modal` bound to the app's ConfigProvider (theme, zh_CN), usable outside
 * components. `AntdBridge` in app/ fills these in from `App.useApp()`.
 */
type AppApi = ReturnType<typeof App.useApp>;
interface Holder {
  message: AppApi['message'] | null;
  notification: AppApi['notification'] | null;
  modal: AppApi['modal'] | null;
}
export const antdHolder: Holder = { message: null, notification: null, modal: null };

export function toastSuccess(text: string): void {
  antdHolder.message?.success(text);
}

export function toastError(text: string): void {
  antdHolder.message?.error(text);
}

/** The user-facing text of any error. */
export function errorText(e: unknown, fallback = '操作失败，请稍后再试'): string {
  if (isApiError(e)) return e.message || fallback;
  if (e instanceof Error && e.message) return e.message;
  return fallback;
}

/** Show the server's message for a failed request (not for 401: that one redirects to the login page). */
export function showError(e: unknown, fallback?: string): void {
  if (isApiError(e) && e.status === 401) return;
  toastError(errorText(e, fallback));
}
