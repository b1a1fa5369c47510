import { useQuery } from '@tanstack/react-query';
import { api, type Paged } from '../../lib/api';
import { useMe } from '../../lib/session';
import type { Person, Unit, UnitDetail } from '../../lib/types';

export const unitsKey = ['units'] as const;

/** GET /api/units (the flat list of the units the current post may see). */
export function useUnits(includeInactive = false) {
  // keyed by the current post: another post sees another part of the tree
  const postId = useMe().data?.currentPostId ?? null;
  return useQuery({
    queryKey: [...unitsKey, 'list', { includeInactive, postId }],
    queryFn: () => api.get<Unit[]>('/api/units', { includeInactive: includeInactive ? 'true' : undefined }),
    staleTime: 60_000,
  });
}

export function useUnit(id: string | undefined) {
  return useQuery({
    queryKey: [...unitsKey, 'detail', id],
    queryFn: () => api.get<UnitDetail>(`/api/units/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useUnitPeople(unitId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['people', 'list', { unitId, page: 1, pageSize: 50 }],
    queryFn: () => api.get<Paged<Person>>('/api/people', { unitId, page: 1, pageSize: 50 }),
    enabled: !!unitId && enabled,
  });
}
