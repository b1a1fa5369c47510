/**
 * Pushes to group robots (DingTalk 钉钉, WeCom 企业微信). Both take the same text message:
 * `{"msgtype":"text","text":{"content":"…"}}`. Delivery is best effort: a 5 s timeout, errors logged
 * and swallowed — a robot that is down never fails the write that notified.
 */
export type WebhookKind = 'dingtalk' | 'wecom';

export interface WebhookPush {
  kind: WebhookKind;
  url: string;
  content: string;
}

export interface PushLogger {
  warn(obj: unknown, msg?: string): void;
}

const consoleLogger: PushLogger = { warn: (obj, msg) => console.warn(`[webhook] ${msg ?? ''}`, obj) };

export const WEBHOOK_TIMEOUT_MS = 5000;

export function webhookPayload(push: WebhookPush): unknown {
  // the two robots share this shape; kept per kind so that a future difference has one place to go
  switch (push.kind) {
    case 'dingtalk':
    case 'wecom':
      return { msgtype: 'text', text: { content: push.content } };
  }
}

/** The url without its query (robots carry their access token there): for logs and the audit log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(invalid url)';
  }
}

const inFlight = new Set<Promise<void>>();

async function send(push: WebhookPush, log: PushLogger): Promise<void> {
  try {
    const res = await fetch(push.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(webhookPayload(push)),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      redirect: 'error',
    });
    // DingTalk and WeCom answer 200 with {errcode, errmsg}; errcode ≠ 0 is a refusal
    const text = await res.text().catch(() => '');
    let errcode: unknown = 0;
    try {
      errcode = (JSON.parse(text) as { errcode?: unknown }).errcode ?? 0;
    } catch {}
    if (!res.ok || (errcode !== 0 && errcode !== undefined)) {
      log.warn({ url: redactUrl(push.url), status: res.status, body: text.slice(0, 200) }, '机器人推送被拒绝');
    }
  } catch (err) {
    log.warn({ url: redactUrl(push.url), err: (err as Error).message }, '机器人推送失败');
  }
}

/** Starts the pushes and returns at once; `settleWebhookPushes` waits for them (tests, shutdown). */
export function deliverWebhooks(pushes: WebhookPush[], log: PushLogger = consoleLogger): void {
  for (const push of pushes) {
    const p = send(push, log).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
}

export async function settleWebhookPushes(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}
