import { PlusOutlined } from '@ant-design/icons';
import type { MeetingKind } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useIsMobile } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { useUnits } from '../org/api';
import { meetingKindsKey, useMeetingKinds } from './api';
import { meetingStrings } from './strings';

const t = meetingStrings.kinds;

interface Values {
  name: string;
  sort?: number;
}

function KindModal({ open, kind, onClose }: { open: boolean; kind: MeetingKind | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  useEffect(() => {
    if (open) {
      form.resetFields();
      if (kind) form.setFieldsValue({ name: kind.name, sort: kind.sort });
    }
  }, [open, kind, form]);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { name: v.name.trim(), sort: v.sort ?? undefined };
      return kind ? api.patch<MeetingKind>(`/api/meeting-kinds/${kind.id}`, body) : api.post<MeetingKind>('/api/meeting-kinds', body);
    },
    onSuccess: async () => {
      toastSuccess(t.saved);
      await qc.invalidateQueries({ queryKey: meetingKindsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={kind ? t.editTitle : t.add}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.save}
      cancelText={t.cancel}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'kind-ok' }}
      forceRender
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="name"
          label={t.name}
          rules={[
            { required: true, whitespace: true, message: t.nameRequired },
            { max: 100, message: t.nameMax },
          ]}
        >
          <Input maxLength={100} data-testid="kind-name" />
        </Form.Item>
        <Form.Item name="sort" label={t.sort}>
          <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The global meeting-kind dictionary: listed for everyone, edited by a unit admin of the top unit (server-enforced). */
export default function MeetingKindsPage() {
  const mobile = useIsMobile();
  const q = useMeetingKinds();
  const me = useCurrentMe();
  const { data: units } = useUnits(false);
  const scopeRootId = me.posts.find((p) => p.id === me.currentPostId)?.scopeRootId;
  // the dictionary is global: only an admin acting in a top unit edits it (the server enforces it too)
  const canEdit = units?.find((u) => u.id === scopeRootId)?.parentId === null;
  const qc = useQueryClient();
  const [editing, setEditing] = useState<MeetingKind | null>(null);
  const [adding, setAdding] = useState(false);
  const toggle = useMutation({
    mutationFn: (k: MeetingKind) => api.patch<MeetingKind>(`/api/meeting-kinds/${k.id}`, { active: !k.active }),
    onSuccess: async () => {
      toastSuccess(t.saved);
      await qc.invalidateQueries({ queryKey: meetingKindsKey });
    },
    onError: (e) => showError(e),
  });
  const columns: ColumnsType<MeetingKind> = [
    { title: t.name, dataIndex: 'name' },
    { title: t.sort, dataIndex: 'sort', width: 80 },
    {
      title: t.active,
      dataIndex: 'active',
      width: 80,
      render: (_, k) => (k.active ? <Tag color="green">{t.activeOn}</Tag> : <Tag>{t.activeOff}</Tag>),
    },
    {
      title: t.actions,
      key: 'actions',
      hidden: !canEdit,
      fixed: mobile ? undefined : 'right',
      render: (_, k) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(k)}>
            {t.edit}
          </Button>
          {k.active ? (
            <Popconfirm title={t.deactivateConfirm} onConfirm={() => toggle.mutateAsync(k).catch(() => undefined)}>
              <Button type="link" size="small" danger>
                {t.deactivate}
              </Button>
            </Popconfirm>
          ) : (
            <Button type="link" size="small" onClick={() => toggle.mutate(k)}>
              {t.activate}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canEdit ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="kind-add">
            {t.add}
          </Button>
        ) : null
      }
    >
      {canEdit ? null : <Alert type="info" showIcon message={t.onlyTop} style={{ marginBottom: 12 }} />}
      <Card size="small">
        {q.isError ? <Alert type="error" showIcon message={errorText(q.error)} style={{ marginBottom: 12 }} /> : null}
        <Table<MeetingKind>
          rowKey="id"
          size={mobile ? 'small' : 'middle'}
          columns={columns}
          dataSource={q.data ?? []}
          loading={q.isFetching}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.empty} /> }}
        />
      </Card>
      <KindModal
        open={adding || !!editing}
        kind={editing}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
      />
    </PageContainer>
  );
}
