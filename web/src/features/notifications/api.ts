import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Paged } from '../../lib/api';
import { showError } from '../../lib/notify';
import type { Notification } from '../../lib/types';

export const notificationsKey = ['notifications'] as const;

export function useNotifications(params: { page: number; pageSize: number; unread?: boolean }, opts?: { refetchInterval?: number }) {
  return useQuery({
    queryKey: [...notificationsKey, 'list', params],
    queryFn: () =>
      api.get<Paged<Notification> & { unreadCount?: number }>('/api/notifications', {
        page: params.page,
        pageSize: params.pageSize,
        unread: params.unread ? 'true' : undefined,
      }),
    placeholderData: (prev) => prev,
    refetchInterval: opts?.refetchInterval,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${encodeURIComponent(id)}/read`),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationsKey }),
    onError: (e) => showError(e),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/api/notifications/read-all'),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationsKey }),
    onError: (e) => showError(e),
  });
}

/** Internal links (`/org?…`) are followed in the app; others open in a new tab. */
export function isInternalLink(link: string): boolean {
  return link.startsWith('/') && !link.startsWith('//');
}
