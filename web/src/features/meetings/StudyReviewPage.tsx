import type { StudyNote } from '@dutyledger/contracts';
import { Alert, Input, Select, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { formatDateTimeShort } from '../../lib/format';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { type NoteFilter, useReviewNotes } from './api';
import { NoteDrawer } from './NoteDrawer';
import { ReadTag } from './StudyNotesPage';
import { meetingStrings } from './strings';

const t = meetingStrings.review;

function readFilter(sp: URLSearchParams): NoteFilter {
  const read = sp.get('read');
  return {
    q: sp.get('q') || undefined,
    unitId: sp.get('unitId') || undefined,
    read: read === 'true' || read === 'false' ? read : undefined,
  };
}
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

/** 笔记调阅: a leader's list of the study notes of the units in reach; opening one allows 调阅. */
export default function StudyReviewPage() {
  const list = useListParams(readFilter);
  const q = useReviewNotes(list.filter, list.page, list.pageSize);
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? []), [units]);
  const [openId, setOpenId] = useState<string | null>(null);
  const columns: ColumnsType<StudyNote> = [
    { title: t.columns.title, dataIndex: 'title', onCell: () => ({ style: { minWidth: 200 } }) },
    { title: t.columns.author, dataIndex: 'authorName', onCell: nowrap, onHeaderCell: nowrap },
    { title: t.columns.unit, dataIndex: 'unitName', onCell: nowrap, onHeaderCell: nowrap },
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
    <PageContainer title={t.title}>
      <Alert type="info" showIcon message={t.hint} style={{ marginBottom: 12 }} />
      <SearchCard<NoteFilter>
        initialValues={list.filter}
        onSearch={list.applyFilter}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> },
          {
            name: 'unitId',
            label: t.search.unit,
            children: (
              <TreeSelect allowClear showSearch treeNodeFilterProp="title" placeholder={t.search.unitPlaceholder} treeData={unitTree} />
            ),
          },
          {
            name: 'read',
            label: t.search.read,
            children: (
              <Select
                allowClear
                placeholder={t.search.readPlaceholder}
                options={[
                  { value: 'false', label: t.search.readFalse },
                  { value: 'true', label: t.search.readTrue },
                ]}
              />
            ),
          },
        ]}
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
      <NoteDrawer noteId={openId} mode="reviewer" onClose={() => setOpenId(null)} />
    </PageContainer>
  );
}
