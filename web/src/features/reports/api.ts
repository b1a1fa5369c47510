import type {
  ReportKind,
  ReportTemplate,
  ReportWindow,
  ReportWindowDetail,
  SubmissionDetail,
  SubmissionRow,
  SubmissionState,
  WindowBoard,
  WindowPhase,
} from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged } from '../../lib/api';

export const reportsKey = ['reports'] as const;

export interface WindowFilter {
  q?: string;
  kind?: ReportKind;
  phase?: WindowPhase;
  year?: number;
}

export function useWindows(filter: WindowFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...reportsKey, 'windows', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<ReportWindow>>('/api/report-windows', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useWindow(id: string | undefined) {
  return useQuery({
    queryKey: [...reportsKey, 'window', id],
    queryFn: () => api.get<ReportWindowDetail>(`/api/report-windows/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export interface BoardFilter {
  q?: string;
  state?: SubmissionState;
  late?: 'true' | 'false';
}

export function useBoard(id: string | undefined, filter: BoardFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...reportsKey, 'board', id, { ...filter, page, pageSize }],
    queryFn: () => api.get<WindowBoard>(`/api/report-windows/${encodeURIComponent(id as string)}/board`, { ...filter, page, pageSize }),
    enabled: !!id,
    placeholderData: (prev) => prev,
  });
}

export interface SubmissionFilter {
  q?: string;
  windowId?: string;
  state?: SubmissionState;
  late?: 'true' | 'false';
}

export function useSubmissions(filter: SubmissionFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...reportsKey, 'submissions', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<SubmissionRow>>('/api/report-submissions', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useSubmission(id: string | null | undefined) {
  return useQuery({
    queryKey: [...reportsKey, 'submission', id],
    queryFn: () => api.get<SubmissionDetail>(`/api/report-submissions/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useTemplates() {
  return useQuery({
    queryKey: [...reportsKey, 'templates'],
    queryFn: () => api.get<ReportTemplate[]>('/api/report-templates'),
    staleTime: 60_000,
  });
}

export function usePrefillSources() {
  return useQuery({
    queryKey: [...reportsKey, 'prefillSources'],
    queryFn: () => api.get<{ key: string; label: string }[]>('/api/report-prefill-sources'),
    staleTime: 300_000,
  });
}
