import { PlusOutlined } from '@ant-design/icons';
import { type ChannelDictItem, type ChannelDictKind, channelDictKindLabels, channelDictKinds } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Modal, Segmented, Space, Switch, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { toastSuccess } from '../../lib/notify';
import { useChannelDict } from './api';
import { channelStrings } from './strings';

const t = channelStrings.dicts;
type Values = { name: string; sort?: number; active?: boolean; leadDays?: number; requiresParent?: boolean };

function ItemModal({ kind, item, onClose }: { kind: ChannelDictKind; item: ChannelDictItem | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  useEffect(() => {
    form.setFieldsValue(item ?? { name: '', sort: 100, active: true, leadDays: 7, requiresParent: false });
  }, [form, item]);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { ...v, name: v.name.trim() };
      if (kind !== 'eventKind') {
        delete body.leadDays;
        delete body.requiresParent;
      }
      return item ? api.patch(`/api/channel-dicts/${kind}/${item.id}`, body) : api.post(`/api/channel-dicts/${kind}`, body);
    },
    onSuccess: async () => {
      toastSuccess(channelStrings.common.saved);
      await qc.invalidateQueries({ queryKey: ['channelDicts', kind] });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      open
      title={item ? t.edit : t.add}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channelStrings.common.save}
      cancelText={channelStrings.common.cancel}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true, message: t.nameRequired }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="sort" label={t.sort}>
          <InputNumber min={0} max={100000} style={{ width: '100%' }} />
        </Form.Item>
        {kind === 'eventKind' ? (
          <>
            <Form.Item name="leadDays" label={t.leadDays}>
              <InputNumber min={0} max={90} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="requiresParent" label={t.requiresParent} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="active" label={t.active} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The module's dictionaries (global; only a top unit's administrator may change them — the server decides). */
export function DictPanel() {
  const [kind, setKind] = useState<ChannelDictKind>('channelType');
  const { data, isFetching } = useChannelDict(kind);
  const [editing, setEditing] = useState<{ item: ChannelDictItem | null } | null>(null);
  const columns: ColumnsType<ChannelDictItem> = [
    { title: t.name, dataIndex: 'name' },
    { title: t.sort, dataIndex: 'sort', width: 80 },
    ...(kind === 'eventKind'
      ? ([
          { title: t.leadDays, dataIndex: 'leadDays', width: 110 },
          { title: t.requiresParent, dataIndex: 'requiresParent', width: 110, render: (v: boolean) => (v ? t.yes : t.no) },
        ] as ColumnsType<ChannelDictItem>)
      : []),
    { title: t.active, dataIndex: 'active', width: 80, render: (v: boolean) => (v ? <Tag color="green">{t.on}</Tag> : <Tag>{t.off}</Tag>) },
    {
      title: channelStrings.common.actions,
      key: 'a',
      width: 80,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setEditing({ item: r })}>
          {channelStrings.common.edit}
        </Button>
      ),
    },
  ];
  return (
    <Card size="small">
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<ChannelDictKind>
          value={kind}
          onChange={setKind}
          options={channelDictKinds.map((k) => ({ value: k, label: channelDictKindLabels[k] }))}
        />
        <Button icon={<PlusOutlined />} onClick={() => setEditing({ item: null })}>
          {t.add}
        </Button>
      </Space>
      <div style={{ marginBottom: 8, color: '#888' }}>{t.hint}</div>
      <Table<ChannelDictItem>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
      />
      {editing ? <ItemModal kind={kind} item={editing.item} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
