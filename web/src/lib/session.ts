import type { Permission } from '@dutyledger/contracts';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from './api';
import type { Me } from './types';

export const meKey = ['auth', 'me'] as const;

/** GET /api/auth/me; `null` when not signed in. Remembers the CSRF token. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me', undefined, { on401: 'throw' });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (isApiError(e) && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export const meQueryOptions = {
  queryKey: meKey,
  queryFn: fetchMe,
  staleTime: 60_000,
  retry: (count: number, e: unknown) => !(isApiError(e) && e.status < 500) && count < 2,
};

export function useMe() {
  return useQuery(meQueryOptions);
}

/** The signed-in user; only inside the authenticated shell, where `me` is known to be loaded. */
export function useCurrentMe(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentMe outside the authenticated shell');
  return data;
}

export function hasPermission(me: Me | null | undefined, perm: Permission): boolean {
  return !!me?.permissions.includes(perm);
}

/** Whether the current post grants `perm`. */
export function useCan(perm: Permission): boolean {
  const { data } = useMe();
  return hasPermission(data, perm);
}

/** The home page of a user: 组织机构, else 审计日志 for an auditor, else 个人中心. */
export function homePath(me: Me | null | undefined): string {
  if (hasPermission(me, 'unit.read')) return '/org';
  if (hasPermission(me, 'audit.read')) return '/audit';
  return '/profile';
}

export async function refreshSession(qc: QueryClient): Promise<Me | null> {
  return qc.fetchQuery({ ...meQueryOptions, staleTime: 0 });
}
