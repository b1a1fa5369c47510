import type { Permission } from '@dutyledger/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, isApiError, setCsrfToken } from './api';
import { showError } from './notify';
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
let lastMe: Me | null = null;

export function useCurrentMe(): Me {
  const { data } = useMe();
  // during sign-out the shell may render once more after `me` became null: keep showing the last user
  if (data) lastMe = data;
  if (!lastMe) throw new Error('useCurrentMe outside the authenticated shell');
  return data ?? lastMe;
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
  if (hasPermission(me, 'dashboard.read')) return '/dashboard';
  if (hasPermission(me, 'unit.read')) return '/org';
  if (hasPermission(me, 'audit.read')) return '/audit';
  return '/profile';
}

export async function refreshSession(qc: QueryClient): Promise<Me | null> {
  return qc.fetchQuery({ ...meQueryOptions, staleTime: 0 });
}

/**
 * POST /api/auth/switch-post: the answer is the new `me`; URL selections and filters (unit ids…) of the old
 * scope are dropped, then every query is refetched.
 */
export function useSwitchPost(onSwitched?: (me: Me) => void) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  return useMutation({
    mutationFn: (postId: string) => api.post<Me>('/api/auth/switch-post', { postId }),
    onSuccess: async (me) => {
      if (me && Array.isArray(me.posts)) qc.setQueryData(meKey, me);
      navigate(location.pathname, { replace: true });
      // let the screen re-render for the new post first (TanStack notifies on a timer), so that queries of
      // the old scope (a unit outside the new one) are unmounted rather than refetched into a 404
      await new Promise((resolve) => setTimeout(resolve, 0));
      await qc.invalidateQueries();
      if (me) onSwitched?.(me);
    },
    onError: (e) => showError(e),
  });
}
