import type { ErrorCode } from '@dutyledger/contracts';

/** HTTP status of each error code: the one place where domain errors meet HTTP. */
export const httpStatus: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNSUPPORTED_FILE: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  CSRF: 403,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  ACCOUNT_LOCKED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

/** Default Chinese message per code; call sites may pass a more precise one. */
export const defaultMessages: Record<ErrorCode, string> = {
  VALIDATION: '提交的内容有误，请检查后重试',
  UNSUPPORTED_FILE: '不支持的文件类型',
  UNAUTHENTICATED: '请先登录',
  SESSION_EXPIRED: '登录已超时，请重新登录',
  CSRF: '请求校验失败，请刷新页面后重试',
  FORBIDDEN: '没有权限执行此操作',
  PASSWORD_CHANGE_REQUIRED: '请先修改初始密码',
  ACCOUNT_LOCKED: '账户已被锁定，请稍后再试',
  NOT_FOUND: '记录不存在或无权查看',
  CONFLICT: '操作冲突，请刷新后重试',
  ILLEGAL_TRANSITION: '当前状态下不能执行此操作',
  PAYLOAD_TOO_LARGE: '内容超过大小限制',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  INTERNAL: '系统内部错误，请联系管理员',
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message ?? defaultMessages[code]);
  }
  get status(): number {
    return httpStatus[this.code];
  }
}

export const notFound = (message?: string) => new AppError('NOT_FOUND', message);
export const forbidden = (message?: string) => new AppError('FORBIDDEN', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const invalid = (fields: Record<string, string>, message?: string) => new AppError('VALIDATION', message, fields);
