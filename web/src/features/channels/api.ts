import type {
  Channel,
  ChannelDetail,
  ChannelDictItem,
  ChannelDictKind,
  ChannelStat,
  EventFiling,
  EventFilingDetail,
  Person,
  Publication,
  PublicationDetail,
  SelfCheckRound,
  SelfCheckRoundDetail,
} from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged, type Query } from '../../lib/api';

export const channelsKey = ['channels'] as const;
export const publicationsKey = ['publications'] as const;
export const filingsKey = ['eventFilings'] as const;
export const selfChecksKey = ['selfChecks'] as const;

export function useChannelDict(kind: ChannelDictKind) {
  return useQuery({
    queryKey: ['channelDicts', kind],
    queryFn: () => api.get<ChannelDictItem[]>(`/api/channel-dicts/${kind}`),
    staleTime: 60_000,
  });
}

export function useChannels(filter: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...channelsKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<Channel>>('/api/channels', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function useAllChannels() {
  return useQuery({
    queryKey: [...channelsKey, 'all'],
    queryFn: () => api.get<Paged<Channel>>('/api/channels', { status: 'running', pageSize: 200 }),
  });
}
export function useChannel(id: string | null | undefined) {
  return useQuery({
    queryKey: [...channelsKey, 'detail', id],
    queryFn: () => api.get<ChannelDetail>(`/api/channels/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}
export function useChannelStats() {
  return useQuery({ queryKey: [...channelsKey, 'stats'], queryFn: () => api.get<ChannelStat[]>('/api/channels/stats') });
}

/** People the caller may see, for pickers (reviewers, responsible person). */
export function usePeopleSearch(q: string) {
  return useQuery({
    queryKey: ['people', 'pick', q],
    queryFn: () => api.get<Paged<Person>>('/api/people', { q: q || undefined, active: 'true', pageSize: 50 }),
    placeholderData: (prev) => prev,
  });
}

export function usePublications(filter: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...publicationsKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<Publication>>('/api/publications', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function usePublication(id: string | null | undefined) {
  return useQuery({
    queryKey: [...publicationsKey, 'detail', id],
    queryFn: () => api.get<PublicationDetail>(`/api/publications/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useFilings(filter: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...filingsKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<EventFiling>>('/api/event-filings', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function useFiling(id: string | null | undefined) {
  return useQuery({
    queryKey: [...filingsKey, 'detail', id],
    queryFn: () => api.get<EventFilingDetail>(`/api/event-filings/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useSelfCheckRounds(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...selfChecksKey, 'list', { page, pageSize }],
    queryFn: () => api.get<Paged<SelfCheckRound>>('/api/self-check-rounds', { page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
export function useSelfCheckRound(id: string | null | undefined) {
  return useQuery({
    queryKey: [...selfChecksKey, 'detail', id],
    queryFn: () => api.get<SelfCheckRoundDetail>(`/api/self-check-rounds/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}
