import { PlusOutlined } from '@ant-design/icons';
import type { StudyNote } from '@dutyledger/contracts';
import { Button, Input, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { formatDateTimeShort } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { PageContainer } from '../../lib/ui';
import { useMyNotes } from './api';
import { NoteDrawer, NoteFormDrawer } from './NoteDrawer';
import { meetingStrings } from './strings';

const t = meetingStrings.notes;

const readFilter = (sp: URLSearchParams) => ({ q: sp.get('q') || undefined });
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function ReadTag({ note }: { note: Pick<StudyNote, 'read'> }) {
  return note.read ? <Tag color="green">{t.read}</Tag> : <Tag>{t.unread}</Tag>;
}

/** 我的学习笔记: the caller's own notes. */
export default function StudyNotesPage() {
  const list = useListParams(readFilter);
  const q = useMyNotes(list.filter, list.page, list.pageSize);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const columns: ColumnsType<StudyNote> = [
    { title: t.columns.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.columns.meeting, dataIndex: 'meetingTopic', render: (v: string | null) => v ?? '—' },
    {
      title: t.columns.createdAt,
      dataIndex: 'createdAt',
      onCell: nowrap,
      onHeaderCell: nowrap,
      render: (v: string) => formatDateTimeShort(v),
    },
    { title: t.columns.read, dataIndex: 'read', onCell: nowrap, onHeaderCell: nowrap, render: (_, r) => <ReadTag note={r} /> },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="note-create">
          {t.create}
        </Button>
      }
    >
      <SearchCard<{ q?: string }>
        initialValues={list.filter}
        onSearch={list.applyFilter}
        fields={[{ name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> }]}
      />
      <PagedTable<StudyNote>
        query={q}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty}
        totalText={t.total}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
      />
      <NoteDrawer noteId={openId} mode="author" onClose={() => setOpenId(null)} />
      <NoteFormDrawer open={creating} onClose={() => setCreating(false)} onSaved={(n) => setOpenId(n.id)} />
    </PageContainer>
  );
}
