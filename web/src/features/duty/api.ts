import type { Attachment, Plan, PlanDetail, Task, TaskDetail, TaskState } from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api, getCsrfToken, type Paged } from '../../lib/api';

export const tasksKey = ['tasks'] as const;
export const plansKey = ['plans'] as const;

export interface TaskFilter {
  q?: string;
  state?: TaskState;
  overdue?: 'true' | 'false';
  mine?: 'true';
  unitId?: string;
  planId?: string;
  deadlineFrom?: string;
  deadlineTo?: string;
}

export function useTasks(filter: TaskFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...tasksKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<Task>>('/api/tasks', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useTask(id: string | undefined) {
  return useQuery({
    queryKey: [...tasksKey, 'detail', id],
    queryFn: () => api.get<TaskDetail>(`/api/tasks/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function usePlans(year: number) {
  return useQuery({
    queryKey: [...plansKey, 'list', { year }],
    queryFn: () => api.get<Plan[]>('/api/plans', { year }),
  });
}

export function usePlan(id: string | undefined) {
  return useQuery({
    queryKey: [...plansKey, 'detail', id],
    queryFn: () => api.get<PlanDetail>(`/api/plans/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

/** POST /api/attachments as multipart (`unitId` first, then `file`); answers the stored attachment. */
export async function uploadAttachment(unitId: string, file: File): Promise<Attachment> {
  const fd = new FormData();
  fd.append('unitId', unitId);
  fd.append('file', file);
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = getCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch('/api/attachments', { method: 'POST', body: fd, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = data && typeof data === 'object' ? (data as { code?: string; message?: string; fields?: Record<string, string> }) : {};
    const fieldMsg = err.fields ? Object.values(err.fields)[0] : undefined;
    throw new ApiError(res.status, err.code ?? 'INTERNAL', fieldMsg ?? err.message ?? `上传失败（${res.status}）`, err.fields);
  }
  return data as Attachment;
}
