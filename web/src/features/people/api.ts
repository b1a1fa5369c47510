import type { RoleKey } from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged } from '../../lib/api';
import type { Person } from '../../lib/types';

export const peopleKey = ['people'] as const;

export interface PeopleFilter {
  q?: string;
  unitId?: string;
  role?: RoleKey;
  active?: 'true' | 'false';
}

export function usePeople(filter: PeopleFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...peopleKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<Person>>('/api/people', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

/** Body of POST /api/people/:id/posts and PATCH /api/posts/:id. */
export interface PostBody {
  unitId: string;
  scopeRootId?: string;
  title: string;
  roles: RoleKey[];
}
