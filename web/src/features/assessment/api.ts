import type { AssessmentCycle, AssessmentCycleDetail, AssessmentFramework } from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged } from '../../lib/api';

export const assessmentKey = ['assessment'] as const;

export function useFrameworks() {
  return useQuery({
    queryKey: [...assessmentKey, 'frameworks'],
    queryFn: () => api.get<AssessmentFramework[]>('/api/assessment/frameworks'),
  });
}

export const listCycles = (q: Record<string, string | number | undefined>) => api.get<Paged<AssessmentCycle>>('/api/assessment/cycles', q);
export const getCycle = (id: string) => api.get<AssessmentCycleDetail>(`/api/assessment/cycles/${id}`);
