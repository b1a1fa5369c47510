import type { Inspection, InspectionDetail, RectifyBoard, RectifyItem, RectifyItemDetail } from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged, type Query } from '../../lib/api';

export const rectifyKey = ['rectify'] as const;

export function useInspections(filter: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...rectifyKey, 'inspections', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<Inspection>>('/api/inspections', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useInspection(id: string | null) {
  return useQuery({
    queryKey: [...rectifyKey, 'inspection', id],
    queryFn: () => api.get<InspectionDetail>(`/api/inspections/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useRectifyItems(filter: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...rectifyKey, 'items', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<RectifyItem>>('/api/rectify-items', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useRectifyItem(id: string | null) {
  return useQuery({
    queryKey: [...rectifyKey, 'item', id],
    queryFn: () => api.get<RectifyItemDetail>(`/api/rectify-items/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useRectifyBoard() {
  return useQuery({ queryKey: [...rectifyKey, 'board'], queryFn: () => api.get<RectifyBoard>('/api/rectify-board') });
}
