import type {
  ComplianceCalendar,
  ComplianceMatrix,
  ComplianceRule,
  CreateRuleBody,
  MeetingKind,
  StudyPlan,
  StudyPlanDetail,
  UpdateRuleBody,
} from '@dutyledger/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildQuery, type Paged } from '../../lib/api';

export const complianceKey = ['compliance'] as const;
export const rulesKey = ['compliance', 'rules'] as const;
export const studyPlansKey = ['studyPlans'] as const;

export function useMatrix(rootUnitId: string | undefined, year: number, month: number | undefined) {
  return useQuery({
    queryKey: [...complianceKey, 'matrix', { rootUnitId, year, month }],
    queryFn: () => api.get<ComplianceMatrix>('/api/compliance/matrix', { rootUnitId, year, month }),
    enabled: !!rootUnitId,
    placeholderData: (prev) => prev,
  });
}

export const matrixExportHref = (rootUnitId: string, year: number, month: number | undefined) =>
  `/api/compliance/matrix/export${buildQuery({ rootUnitId, year, month })}`;

export function useCalendar(unitId: string | undefined, year: number) {
  return useQuery({
    queryKey: [...complianceKey, 'calendar', { unitId, year }],
    queryFn: () => api.get<ComplianceCalendar>('/api/compliance/calendar', { unitId, year }),
    enabled: !!unitId,
  });
}

export function useRules() {
  return useQuery({ queryKey: [...rulesKey, 'list'], queryFn: () => api.get<ComplianceRule[]>('/api/compliance/rules') });
}

export function useMeetingKinds() {
  return useQuery({ queryKey: ['meetingKinds'], queryFn: () => api.get<MeetingKind[]>('/api/meeting-kinds'), staleTime: 60_000 });
}

export function useSaveRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: CreateRuleBody | UpdateRuleBody }) =>
      id
        ? api.patch<ComplianceRule>(`/api/compliance/rules/${encodeURIComponent(id)}`, body)
        : api.post<ComplianceRule>('/api/compliance/rules', body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: complianceKey });
    },
  });
}

export interface StudyPlanFilter {
  q?: string;
  year?: string;
  month?: string;
}

export function useStudyPlans(filter: StudyPlanFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...studyPlansKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<StudyPlan>>('/api/study-plans', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useStudyPlan(id: string | undefined) {
  return useQuery({
    queryKey: [...studyPlansKey, 'detail', id],
    queryFn: () => api.get<StudyPlanDetail>(`/api/study-plans/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}
