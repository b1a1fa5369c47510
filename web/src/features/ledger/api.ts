import type { CreateLedgerExportBody, LedgerExport } from '@dutyledger/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Paged } from '../../lib/api';

export const ledgerKey = ['ledger'] as const;

export function useLedgerChapters() {
  return useQuery({
    queryKey: [...ledgerKey, 'chapters'],
    queryFn: () => api.get<{ key: string; title: string }[]>('/api/ledger/chapters'),
    staleTime: 300_000,
  });
}

const active = (e: LedgerExport | undefined) => e?.state === 'queued' || e?.state === 'running';

/** My recent exports; polls every 1.5 s while one of them is still being built. */
export function useMyExports() {
  return useQuery({
    queryKey: [...ledgerKey, 'mine'],
    queryFn: () => api.get<Paged<LedgerExport>>('/api/ledger/exports', { page: 1, pageSize: 20 }),
    refetchInterval: (q) => (q.state.data?.items.some(active) ? 1500 : false),
  });
}

export function useCreateExport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLedgerExportBody) => api.post<LedgerExport>('/api/ledger/exports', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...ledgerKey, 'mine'] }),
  });
}

export const fileHref = (id: string, format: string) => `/api/ledger/exports/${encodeURIComponent(id)}/files/${format}`;
