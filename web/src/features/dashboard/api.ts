import type { Dashboard } from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export function useDashboard(unitId: string | undefined) {
  return useQuery({
    queryKey: ['dashboard', unitId ?? 'mine'],
    queryFn: () => api.get<Dashboard>('/api/dashboard', { unitId }),
    placeholderData: (prev) => prev,
  });
}
