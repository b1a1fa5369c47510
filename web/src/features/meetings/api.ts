import type { AttendedMeeting, Meeting, MeetingDetail, MeetingKind, StudyNote, StudyNoteDetail } from '@dutyledger/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, buildQuery, type Paged } from '../../lib/api';
import { useMe } from '../../lib/session';
import type { Person } from '../../lib/types';

export const meetingsKey = ['meetings'] as const;
export const meetingKindsKey = ['meeting-kinds'] as const;
export const studyNotesKey = ['study-notes'] as const;

export interface MeetingFilter {
  q?: string;
  unitId?: string;
  kindId?: string;
  tag?: string;
  from?: string;
  to?: string;
  backfilled?: 'true' | 'false';
}

export function useMeetings(filter: MeetingFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...meetingsKey, 'list', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<Meeting>>('/api/meetings', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export const meetingExportHref = (filter: MeetingFilter) => `/api/meetings/export${buildQuery({ ...filter })}`;

export function useMeeting(id: string | undefined) {
  return useQuery({
    queryKey: [...meetingsKey, 'detail', id],
    queryFn: () => api.get<MeetingDetail>(`/api/meetings/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useMeetingKinds() {
  return useQuery({
    queryKey: meetingKindsKey,
    queryFn: () => api.get<MeetingKind[]>('/api/meeting-kinds'),
    staleTime: 60_000,
  });
}

/** People holding a post in the unit (up to 200), to pick hosts, attendees and absentees from. */
export function useUnitPeopleAll(unitId: string | undefined) {
  const postId = useMe().data?.currentPostId ?? null;
  return useQuery({
    queryKey: ['people', 'list', { unitId, page: 1, pageSize: 200, postId }],
    queryFn: () => api.get<Paged<Person>>('/api/people', { unitId, page: 1, pageSize: 200, active: 'true' }),
    enabled: !!unitId,
    staleTime: 60_000,
  });
}

export interface NoteFilter {
  q?: string;
  unitId?: string;
  read?: 'true' | 'false';
}

export function useMyNotes(filter: { q?: string }, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...studyNotesKey, 'mine', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<StudyNote>>('/api/study-notes/mine', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useReviewNotes(filter: NoteFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...studyNotesKey, 'review', { ...filter, page, pageSize }],
    queryFn: () => api.get<Paged<StudyNote>>('/api/study-notes', { ...filter, page, pageSize }),
    placeholderData: (prev) => prev,
  });
}

export function useNote(id: string | undefined) {
  return useQuery({
    queryKey: [...studyNotesKey, 'detail', id],
    queryFn: () => api.get<StudyNoteDetail>(`/api/study-notes/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
}

export function useAttendedMeetings(enabled: boolean) {
  return useQuery({
    queryKey: [...studyNotesKey, 'attended-meetings'],
    queryFn: () => api.get<AttendedMeeting[]>('/api/study-notes/attended-meetings'),
    enabled,
  });
}
