import type {
  AnalysisReport,
  AnalysisReportDetail,
  AnalysisState,
  Bulletin,
  BulletinDetail,
  BulletinReceipts,
  OpinionBoard,
  OpinionEvent,
  OpinionEventDetail,
  OpinionLevel,
  OpinionPlatform,
  OpinionState,
  ResponsePlan,
  ResponsePlanDetail,
} from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged } from '../../lib/api';
import { useCurrentMe } from '../../lib/session';

export const opinionKey = ['opinion'] as const;
export const eventsKey = [...opinionKey, 'events'] as const;
export const analysisKey = [...opinionKey, 'analysis'] as const;
export const plansKey = [...opinionKey, 'plans'] as const;
export const bulletinsKey = [...opinionKey, 'bulletins'] as const;

/** The unit the current post acts for (its scope root): opinion records are written for it. */
export function useCurrentUnit(): { id: string; name: string } | null {
  const me = useCurrentMe();
  const post = me.posts.find((p) => p.id === me.currentPostId);
  return post ? { id: post.scopeRootId, name: post.scopeRootName } : null;
}

export function usePlatforms() {
  return useQuery({
    queryKey: [...opinionKey, 'platforms'],
    queryFn: () => api.get<OpinionPlatform[]>('/api/opinion-platforms'),
    staleTime: 300_000,
  });
}

// ---- events
export interface EventFilter {
  q?: string;
  state?: OpinionState;
  level?: OpinionLevel;
  open?: 'true' | 'false';
}
export function useEvents(filter: EventFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...eventsKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<OpinionEvent>>('/api/opinion-events', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function useEvent(id: string | undefined) {
  return useQuery({
    queryKey: [...eventsKey, 'detail', id],
    queryFn: () => api.get<OpinionEventDetail>(`/api/opinion-events/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}
export function useBoard(enabled: boolean) {
  return useQuery({
    queryKey: [...eventsKey, 'board'],
    queryFn: () => api.get<OpinionBoard>('/api/opinion-events/board'),
    enabled,
  });
}

// ---- analysis
export interface AnalysisFilter {
  q?: string;
  state?: AnalysisState;
  periodKind?: 'quarter' | 'halfYear';
  toMe?: 'true';
}
export function useAnalysisReports(filter: AnalysisFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...analysisKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<AnalysisReport>>('/api/analysis-reports', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function useAnalysisReport(id: string | undefined) {
  return useQuery({
    queryKey: [...analysisKey, 'detail', id],
    queryFn: () => api.get<AnalysisReportDetail>(`/api/analysis-reports/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

// ---- plans
export function useResponsePlans(filter: { q?: string }, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...plansKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<ResponsePlan>>('/api/response-plans', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function useResponsePlan(id: string | undefined) {
  return useQuery({
    queryKey: [...plansKey, 'detail', id],
    queryFn: () => api.get<ResponsePlanDetail>(`/api/response-plans/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

// ---- bulletins
export interface BulletinFilter {
  q?: string;
  unread?: 'true' | 'false';
}
export function useBulletins(box: 'inbox' | 'sent', filter: BulletinFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...bulletinsKey, box, { ...filter, page, pageSize }],
    queryFn: () =>
      box === 'inbox'
        ? api.get<Paged<Bulletin>>('/api/bulletins/inbox', { ...filter, page, pageSize })
        : api.get<Paged<Bulletin>>('/api/bulletins', { q: filter.q, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function useBulletin(id: string | undefined) {
  return useQuery({
    queryKey: [...bulletinsKey, 'detail', id],
    queryFn: () => api.get<BulletinDetail>(`/api/bulletins/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}
export function useBulletinReceipts(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...bulletinsKey, 'receipts', id],
    queryFn: () => api.get<BulletinReceipts>(`/api/bulletins/${encodeURIComponent(id as string)}/receipts`),
    enabled: !!id && enabled,
  });
}
