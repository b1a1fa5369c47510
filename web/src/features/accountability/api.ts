import type { AccountabilityDetail, AccountabilityRecord } from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged, type Query } from '../../lib/api';

export const accountabilityKey = ['accountability'] as const;

export function useAccountabilityList(filter: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...accountabilityKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<AccountabilityRecord>>('/api/accountability', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useAccountability(id: string | null) {
  return useQuery({
    queryKey: [...accountabilityKey, 'detail', id],
    queryFn: () => api.get<AccountabilityDetail>(`/api/accountability/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}
