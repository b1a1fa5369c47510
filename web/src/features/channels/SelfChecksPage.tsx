import { PlusOutlined } from '@ant-design/icons';
import type { SelfCheckRound, SelfCheckRoundDetail } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Space,
  Spin,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { api, type Paged } from '../../lib/api';
import { type dayjs, formatDate } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { selfChecksKey, useSelfCheckRound, useSelfCheckRounds } from './api';
import { channelStrings } from './strings';

const t = channelStrings.selfChecks;
type Entry = SelfCheckRoundDetail['channels'][number];

function FillModal({ round, entry, onClose }: { round: SelfCheckRoundDetail; entry: Entry; onClose: () => void }) {
  const [form] = Form.useForm<{ answers: { ok: boolean; note?: string }[]; problems?: string }>();
  const qc = useQueryClient();
  const initial = {
    answers: round.items.map((item) => {
      const a = entry.result?.answers.find((x) => x.item === item);
      return { ok: a ? a.ok : true, note: a?.note ?? '' };
    }),
    problems: (entry.result?.problems ?? []).map((p) => p.text).join('\n'),
  };
  const save = useMutation({
    mutationFn: (v: { answers: { ok: boolean; note?: string }[]; problems?: string }) =>
      api.post(`/api/self-check-rounds/${round.id}/results`, {
        channelId: entry.channelId,
        answers: round.items.map((item, i) => ({ item, ok: v.answers[i]?.ok ?? true, note: (v.answers[i]?.note ?? '').trim() })),
        problems: (v.problems ?? '')
          .split(/\r?\n/)
          .map((s) => s.trim())
          .filter(Boolean),
      }),
    onSuccess: async () => {
      toastSuccess(channelStrings.common.saved);
      await qc.invalidateQueries({ queryKey: selfChecksKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      width={640}
      title={`${entry.channelName} · ${t.fill}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.save}
      cancelText={channelStrings.common.cancel}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        {round.items.map((item, i) => (
          <div key={item} style={{ marginBottom: 8 }}>
            <Typography.Text>{item}</Typography.Text>
            <Space wrap style={{ display: 'flex' }}>
              <Form.Item name={['answers', i, 'ok']} noStyle>
                <Radio.Group
                  options={[
                    { value: true, label: t.ok },
                    { value: false, label: t.notOk },
                  ]}
                />
              </Form.Item>
              <Form.Item name={['answers', i, 'note']} noStyle>
                <Input placeholder={t.note} maxLength={1000} style={{ minWidth: 220 }} />
              </Form.Item>
            </Space>
          </div>
        ))}
        <Form.Item name="problems" label={t.problems}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TaskModal({ resultId, index, onClose }: { resultId: string; index: number; onClose: () => void }) {
  const [form] = Form.useForm<{ deadline: dayjs.Dayjs }>();
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: (v: { deadline: dayjs.Dayjs }) =>
      api.post(`/api/self-check-results/${resultId}/problems/${index}/task`, { deadline: v.deadline.endOf('day').toISOString() }),
    onSuccess: async () => {
      toastSuccess(t.taskCreated);
      await qc.invalidateQueries({ queryKey: selfChecksKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      title={t.toTask}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.ok}
      cancelText={channelStrings.common.cancel}
      confirmLoading={act.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => act.mutate(v)}>
        <Form.Item name="deadline" label={t.deadline} rules={[{ required: true, message: t.deadlineRequired }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RoundDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const { data: round, isLoading, error } = useSelfCheckRound(id);
  const canWrite = useCan('selfCheck.write');
  const canAssign = useCan('task.assign');
  const [filling, setFilling] = useState<Entry | null>(null);
  const [tasking, setTasking] = useState<{ resultId: string; index: number } | null>(null);
  return (
    <Drawer title={round?.label ?? t.detailTitle} open={!!id} onClose={onClose} width={width} destroyOnHidden>
      {isLoading ? <Spin /> : null}
      {error ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      {round ? (
        <List
          dataSource={round.channels}
          renderItem={(e) => (
            <List.Item
              actions={
                canWrite
                  ? [
                      <Button key="fill" type="link" onClick={() => setFilling(e)}>
                        {e.result ? t.refill : t.fill}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space>
                    {e.channelName}
                    {e.result ? <Tag color="green">{t.checked}</Tag> : <Tag>{t.notChecked}</Tag>}
                  </Space>
                }
                description={
                  e.result ? (
                    <div>
                      {e.result.answers
                        .filter((a) => !a.ok)
                        .map((a) => (
                          <div key={a.item}>
                            <Tag color="red">{t.notOk}</Tag>
                            {a.item}
                            {a.note ? `：${a.note}` : ''}
                          </div>
                        ))}
                      {e.result.problems.map((p, i) => (
                        <div key={p.text}>
                          {i + 1}. {p.text}{' '}
                          {p.taskId ? (
                            <Tag color="blue">{t.linkedTask}</Tag>
                          ) : canAssign ? (
                            <Button size="small" type="link" onClick={() => setTasking({ resultId: e.result!.id, index: i })}>
                              {t.toTask}
                            </Button>
                          ) : null}
                        </div>
                      ))}
                    </div>
                  ) : null
                }
              />
            </List.Item>
          )}
        />
      ) : null}
      {round && filling ? <FillModal round={round} entry={filling} onClose={() => setFilling(null)} /> : null}
      {tasking ? <TaskModal {...tasking} onClose={() => setTasking(null)} /> : null}
    </Drawer>
  );
}

function OpenModal({ onClose, onOpened }: { onClose: () => void; onOpened: (id: string) => void }) {
  const [form] = Form.useForm<{ unitId: string }>();
  const me = useCurrentMe();
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const act = useMutation({
    mutationFn: (v: { unitId: string }) => api.post<SelfCheckRoundDetail>('/api/self-check-rounds', { unitId: v.unitId }),
    onSuccess: async (r) => {
      toastSuccess(t.opened);
      await qc.invalidateQueries({ queryKey: selfChecksKey });
      onClose();
      onOpened(r.id);
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      title={t.open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.ok}
      cancelText={channelStrings.common.cancel}
      confirmLoading={act.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ unitId: me.posts.find((p) => p.id === me.currentPostId)?.unitId }}
        onFinish={(v) => act.mutate(v)}
      >
        <Form.Item name="unitId" label={t.unitPick} rules={[{ required: true, message: t.unitRequired }]}>
          <TreeSelect treeData={unitTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function SelfChecksPage() {
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const query = useSelfCheckRounds(page.page, page.pageSize);
  const canManage = useCan('channel.manage');
  const [openId, setOpenId] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const c = t.columns;
  const columns: ColumnsType<SelfCheckRound> = [
    { title: c.label, dataIndex: 'label' },
    { title: c.unit, dataIndex: 'unitName' },
    { title: c.due, dataIndex: 'dueAt', render: (v) => formatDate(v) },
    {
      title: c.progress,
      key: 'p',
      render: (_, r) => (
        <Tag color={r.checkedCount >= r.channelCount ? 'green' : 'orange'}>{t.progress(r.checkedCount, r.channelCount)}</Tag>
      ),
    },
  ];
  const data: Paged<SelfCheckRound> | undefined = query.data;
  return (
    <PageContainer
      title={t.title}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="selfcheck-open">
            {t.open}
          </Button>
        ) : null
      }
    >
      <Card size="small">
        {query.isError ? <Alert type="error" showIcon message={errorText(query.error)} /> : null}
        <Table<SelfCheckRound>
          rowKey="id"
          size="small"
          loading={query.isFetching}
          dataSource={data?.items ?? []}
          columns={columns}
          scroll={{ x: true }}
          locale={{ emptyText: t.empty }}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: data?.total ?? 0,
            onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
            showTotal: channelStrings.common.total,
          }}
        />
      </Card>
      <RoundDrawer id={openId} onClose={() => setOpenId(null)} />
      {opening ? <OpenModal onClose={() => setOpening(false)} onOpened={setOpenId} /> : null}
    </PageContainer>
  );
}
