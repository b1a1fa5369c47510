import type {
  DutyLetterDetail,
  DutyList,
  DutyListItem,
  DutyListKind,
  LetterBoardRow,
  ResponsibilityHistory,
  UnitPerson,
  UnitResponsibility,
  UnitVacancies,
} from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, buildQuery, type Paged } from '../../lib/api';

export const respKey = ['responsibility'] as const;
export const lettersKey = ['duty-letters'] as const;

const enc = encodeURIComponent;

export function useUnitResponsibility(unitId: string | undefined, date?: string) {
  return useQuery({
    queryKey: [...respKey, 'unit', unitId, date ?? null],
    queryFn: () => api.get<UnitResponsibility>(`/api/responsibility/units/${enc(unitId as string)}`, { date }),
    enabled: !!unitId,
  });
}

export function useResponsibilityHistory(unitId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...respKey, 'history', unitId],
    queryFn: () => api.get<ResponsibilityHistory>(`/api/responsibility/units/${enc(unitId as string)}/history`),
    enabled: !!unitId && enabled,
  });
}

export function useUnitPeople(unitId: string | undefined) {
  return useQuery({
    queryKey: [...respKey, 'people', unitId],
    queryFn: () => api.get<UnitPerson[]>(`/api/responsibility/units/${enc(unitId as string)}/people`),
    enabled: !!unitId,
    staleTime: 60_000,
  });
}

export function useSubtreeVacancies(rootUnitId: string | undefined) {
  return useQuery({
    queryKey: [...respKey, 'vacancies', rootUnitId],
    queryFn: () => api.get<UnitVacancies[]>('/api/responsibility/vacancies', { rootUnitId }),
    enabled: !!rootUnitId,
  });
}

export function useDutyList(unitId: string | undefined, kind: DutyListKind) {
  return useQuery({
    queryKey: [...respKey, 'list', unitId, kind],
    queryFn: () => api.get<DutyList>(`/api/responsibility/units/${enc(unitId as string)}/duty-lists`, { kind }),
    enabled: !!unitId,
  });
}

export const dutyListExportHref = (unitId: string, kind: DutyListKind) =>
  `/api/responsibility/units/${enc(unitId)}/duty-lists/export${buildQuery({ kind })}`;

export function useDutyListItems(enabled: boolean) {
  return useQuery({
    queryKey: [...respKey, 'items'],
    queryFn: () => api.get<DutyListItem[]>('/api/duty-list-items'),
    enabled,
  });
}

export interface BoardFilter {
  rootUnitId?: string;
  year: number;
  status?: string;
  unitType?: string;
  q?: string;
}

export function useLetterBoard(filter: BoardFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...lettersKey, 'board', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<LetterBoardRow>>('/api/duty-letters/board', { ...filter, page, pageSize }),
    enabled: !!filter.rootUnitId,
    placeholderData: (prev) => prev,
  });
}

export const boardExportHref = (f: BoardFilter) => `/api/duty-letters/board/export${buildQuery({ ...f })}`;

export function useLetter(id: string | undefined) {
  return useQuery({
    queryKey: [...lettersKey, 'detail', id],
    queryFn: () => api.get<DutyLetterDetail>(`/api/duty-letters/${enc(id as string)}`),
    enabled: !!id,
  });
}
