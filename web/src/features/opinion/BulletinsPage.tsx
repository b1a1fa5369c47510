import { SendOutlined } from '@ant-design/icons';
import { type Bulletin, type BulletinDetail, type SendBulletinBody, type UnitType, unitTypes } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { PagedTable, SearchCard, useListParams } from '../../lib/list';
import { errorText, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { subtreeIds, unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { type BulletinFilter, bulletinsKey, useBulletin, useBulletinReceipts, useBulletins, useCurrentUnit } from './api';
import { AttachmentList, useUploads } from './shared';
import { opinionStrings } from './strings';

const t = opinionStrings.bulletins;
const c = opinionStrings.common;
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

interface SendValues {
  title: string;
  body: string;
  targetKind: 'subtree' | 'types' | 'units';
  unitTypes?: UnitType[];
  unitIds?: string[];
  remindAfterDays: number;
}

function SendDrawer({ open, onClose, onSent }: { open: boolean; onClose: () => void; onSent: (id: string) => void }) {
  const width = useDrawerWidth(640);
  const [form] = Form.useForm<SendValues>();
  const qc = useQueryClient();
  const unit = useCurrentUnit();
  const units = useUnits();
  const uploads = useUploads(unit?.id);
  const kind = Form.useWatch('targetKind', form) ?? 'subtree';
  const below = unit && units.data ? subtreeIds(units.data, unit.id) : new Set<string>();
  const send = useMutation({
    mutationFn: (v: SendValues) => {
      const target: SendBulletinBody['target'] =
        v.targetKind === 'units'
          ? { kind: 'units', unitIds: v.unitIds ?? [] }
          : { kind: 'subtree', unitTypes: v.targetKind === 'types' ? v.unitTypes : undefined };
      return api.post<BulletinDetail>('/api/bulletins', {
        unitId: unit?.id,
        title: v.title.trim(),
        body: v.body.trim(),
        target,
        remindAfterDays: v.remindAfterDays,
        attachmentIds: uploads.ids,
      });
    },
    onSuccess: async (b) => {
      toastSuccess(t.form.sent);
      await qc.invalidateQueries({ queryKey: bulletinsKey });
      uploads.reset();
      form.resetFields();
      onClose();
      onSent(b.id);
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Drawer
      title={t.form.title}
      open={open}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{c.cancel}</Button>
          <Popconfirm title={t.form.confirm} onConfirm={() => form.submit()}>
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={send.isPending}
              disabled={uploads.uploading}
              data-testid="bulletin-send"
            >
              {t.send}
            </Button>
          </Popconfirm>
        </Space>
      }
    >
      <Form<SendValues>
        form={form}
        layout="vertical"
        initialValues={{ targetKind: 'subtree', remindAfterDays: 3 }}
        onFinish={(v) => send.mutate(v)}
      >
        <Form.Item label={t.form.unit}>
          <Input value={unit?.name ?? c.noUnit} disabled />
        </Form.Item>
        <Form.Item
          name="title"
          label={t.form.bulletinTitle}
          rules={[
            { required: true, whitespace: true, message: c.required(t.form.bulletinTitle) },
            { max: 200, message: c.max(t.form.bulletinTitle, 200) },
          ]}
        >
          <Input maxLength={200} data-testid="bulletin-title" />
        </Form.Item>
        <Form.Item
          name="body"
          label={t.form.body}
          rules={[
            { required: true, whitespace: true, message: c.required(t.form.body) },
            { max: 50000, message: c.max(t.form.body, 50000) },
          ]}
        >
          <Input.TextArea rows={8} data-testid="bulletin-body" />
        </Form.Item>
        <Form.Item name="targetKind" label={t.form.target}>
          <Radio.Group
            options={[
              { value: 'subtree', label: t.form.targetSubtree },
              { value: 'types', label: t.form.targetTypes },
              { value: 'units', label: t.form.targetUnits },
            ]}
          />
        </Form.Item>
        {kind === 'types' ? (
          <Form.Item name="unitTypes" label={t.form.unitTypes} rules={[{ required: true, message: t.form.unitTypesRequired }]}>
            <Select mode="multiple" options={unitTypes.map((x) => ({ value: x, label: x }))} />
          </Form.Item>
        ) : null}
        {kind === 'units' ? (
          <Form.Item name="unitIds" label={t.form.units} rules={[{ required: true, message: t.form.unitsRequired }]}>
            <TreeSelect
              multiple
              treeCheckable
              showCheckedStrategy={TreeSelect.SHOW_ALL}
              treeDefaultExpandAll
              treeData={unitTreeSelectData(units.data ?? [], (u) => !below.has(u.id) || u.id === unit?.id)}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="remindAfterDays"
          label={t.form.remind}
          extra={t.form.remindHint}
          rules={[{ required: true, message: c.required(t.form.remind) }]}
        >
          <InputNumber min={1} max={60} />
        </Form.Item>
        <Form.Item label={c.attachments}>{uploads.field}</Form.Item>
      </Form>
    </Drawer>
  );
}

function BulletinDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const width = useDrawerWidth(720);
  const q = useBulletin(id ?? undefined);
  const b = q.data;
  const qc = useQueryClient();
  const receipts = useBulletinReceipts(id ?? undefined, !!b?.canReceipts);
  const unitReadAt = b?.unitReadAt;
  const myReadAt = b?.myReadAt;
  // opening it as a person of a recipient unit marks it read for them and their unit (once)
  useEffect(() => {
    if (!id || !b || b.myReadAt !== null || b.unitReadAt === undefined) return;
    api
      .post(`/api/bulletins/${id}/read`, {})
      .then(() => qc.invalidateQueries({ queryKey: bulletinsKey }))
      .catch(() => undefined);
  }, [id, b, qc]);
  return (
    <Drawer title={t.detail.title} open={!!id} onClose={onClose} width={width} destroyOnHidden>
      {q.isError ? <Alert type="error" showIcon message={c.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {b ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="bulletin-detail">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {b.title}
          </Typography.Title>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t.detail.unit}>{b.unitName}</Descriptions.Item>
            <Descriptions.Item label={t.detail.sentAt}>{formatDateTimeShort(b.sentAt)}</Descriptions.Item>
            {unitReadAt !== undefined ? (
              <Descriptions.Item label={t.columns.read}>
                {myReadAt || unitReadAt ? <Tag color="green">{t.read}</Tag> : <Tag>{t.unread}</Tag>}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{b.body}</Typography.Paragraph>
          <div>
            <Typography.Text strong>{c.attachments}</Typography.Text>
            <AttachmentList items={b.attachments} />
          </div>
          {b.canReceipts ? (
            <div data-testid="bulletin-receipts">
              <Typography.Text strong>{t.detail.receipts}</Typography.Text>
              {receipts.data ? (
                <>
                  <Typography.Paragraph type="secondary">{t.detail.summary(receipts.data.read, receipts.data.total)}</Typography.Paragraph>
                  <Table
                    size="small"
                    rowKey="unitId"
                    pagination={false}
                    scroll={{ x: true }}
                    dataSource={receipts.data.units}
                    columns={[
                      { title: c.unit, dataIndex: 'unitName', onCell: nowrap },
                      {
                        title: t.columns.read,
                        dataIndex: 'readAt',
                        onCell: nowrap,
                        render: (v: string | null) =>
                          v ? <Tag color="green">{formatDateTimeShort(v)}</Tag> : <Tag color="red">{t.detail.unitUnread}</Tag>,
                      },
                      {
                        title: t.detail.readers,
                        dataIndex: 'readers',
                        render: (rs: { displayName: string }[]) => rs.map((r) => r.displayName).join('、'),
                      },
                    ]}
                  />
                </>
              ) : (
                <Spin />
              )}
            </div>
          ) : null}
        </Space>
      ) : null}
    </Drawer>
  );
}

export default function BulletinsPage() {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const canSend = useCan('bulletin.send');
  const list = useListParams((sp): BulletinFilter & { box?: string } => ({
    q: sp.get('q') || undefined,
    unread: sp.get('unread') === 'true' ? 'true' : sp.get('unread') === 'false' ? 'false' : undefined,
    box: sp.get('box') === 'sent' ? 'sent' : undefined,
  }));
  const box = list.filter.box === 'sent' ? 'sent' : 'inbox';
  const query = useBulletins(box, list.filter, list.page, list.pageSize);
  const [sending, setSending] = useState(false);
  const open = (id: string) => navigate(`/opinion/bulletins/${id}${window.location.search}`);
  const columns: ColumnsType<Bulletin> = [
    {
      title: t.columns.title,
      dataIndex: 'title',
      onCell: () => ({ style: { minWidth: 200 } }),
      render: (v: string, r) => (box === 'inbox' && !r.myReadAt ? <Typography.Text strong>{v}</Typography.Text> : v),
    },
    { title: t.columns.unit, dataIndex: 'unitName', onCell: nowrap, onHeaderCell: nowrap },
    { title: t.columns.sentAt, dataIndex: 'sentAt', onCell: nowrap, onHeaderCell: nowrap, render: (v: string) => formatDateTimeShort(v) },
    box === 'inbox'
      ? {
          title: t.columns.read,
          key: 'read',
          onCell: nowrap,
          render: (_, r) => (r.myReadAt ? <Tag color="green">{t.read}</Tag> : <Tag color="red">{t.unread}</Tag>),
        }
      : { title: t.columns.receipts, key: 'receipts', onCell: nowrap, render: (_, r) => t.receiptsOf(r.readCount, r.recipientCount) },
  ];
  return (
    <PageContainer
      title={t.title}
      extra={
        canSend ? (
          <Button type="primary" icon={<SendOutlined />} onClick={() => setSending(true)} data-testid="bulletin-compose">
            {t.send}
          </Button>
        ) : null
      }
    >
      <Tabs
        activeKey={box}
        onChange={(k) => list.applyFilter({ box: k === 'sent' ? 'sent' : undefined })}
        items={[
          { key: 'inbox', label: t.tabs.inbox },
          { key: 'sent', label: t.tabs.sent },
        ]}
      />
      <SearchCard<BulletinFilter>
        initialValues={list.filter}
        onSearch={(v) => list.applyFilter({ ...v, box: list.filter.box })}
        fields={[
          { name: 'q', label: t.search.q, children: <Input allowClear placeholder={t.search.qPlaceholder} maxLength={100} /> },
          ...(box === 'inbox'
            ? [
                {
                  name: 'unread' as const,
                  label: t.search.unread,
                  col: { xs: 12, sm: 12, lg: 4 },
                  children: (
                    <Select
                      allowClear
                      options={[
                        { value: 'true', label: t.search.unreadTrue },
                        { value: 'false', label: t.search.unreadFalse },
                      ]}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <PagedTable<Bulletin>
        query={query}
        params={list}
        rowKey="id"
        columns={columns}
        emptyText={t.empty}
        totalText={c.total}
        onRow={(r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } })}
      />
      <SendDrawer open={sending} onClose={() => setSending(false)} onSent={(id) => navigate(`/opinion/bulletins/${id}?box=sent`)} />
      <BulletinDrawer id={params.id ?? null} onClose={() => navigate(`/opinion/bulletins${window.location.search}`)} />
    </PageContainer>
  );
}
