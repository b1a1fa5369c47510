import { EditOutlined, HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type DutyAssignment,
  type DutyKind,
  dutyKindLabels,
  dutyKinds,
  type GroupMember,
  type GroupRole,
  groupRoleLabels,
  groupRoles,
  type UnitResponsibility,
} from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
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
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { dayjs, TZ } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { subtreeIds, unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { respKey, useResponsibilityHistory, useSubtreeVacancies, useUnitPeople, useUnitResponsibility } from './api';
import { respStrings } from './strings';
import { UnitPicker, useSelectedUnit } from './UnitPicker';

const c = respStrings.common;
const t = respStrings.groups;
const todayStr = () => dayjs().tz(TZ).format('YYYY-MM-DD');
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

function PersonSelect({
  unitId,
  value,
  onChange,
  testId,
}: {
  unitId: string;
  value?: string;
  onChange?: (v: string) => void;
  testId?: string;
}) {
  const { data, isLoading } = useUnitPeople(unitId);
  const options = useMemo(() => {
    const seen = new Set<string>();
    return (data ?? []).flatMap((p) => {
      if (seen.has(p.personId)) return [];
      seen.add(p.personId);
      return [{ value: p.personId, label: `${p.displayName}（${p.unitName} ${p.postTitle}）` }];
    });
  }, [data]);
  return (
    <Select
      showSearch
      optionFilterProp="label"
      loading={isLoading}
      options={options}
      value={value}
      onChange={onChange}
      placeholder={c.personPlaceholder}
      data-testid={testId}
    />
  );
}

// ---- dialogs

function OfficeModal({ view, open, onClose }: { view: UnitResponsibility; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ officeUnitId?: string | null; officeText?: string }>();
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const tree = useMemo(() => {
    const inside = subtreeIds(units ?? [], view.unitId);
    return unitTreeSelectData(units ?? [], (u) => !inside.has(u.id));
  }, [units, view.unitId]);
  useEffect(() => {
    if (open) form.setFieldsValue({ officeUnitId: view.office.unitId ?? undefined, officeText: view.office.text });
  }, [open, form, view]);
  const save = useMutation({
    mutationFn: (v: { officeUnitId?: string | null; officeText?: string }) =>
      api.patch(`/api/responsibility/units/${view.unitId}/office`, {
        officeUnitId: v.officeUnitId ?? null,
        officeText: v.officeText?.trim() ?? '',
      }),
    onSuccess: async () => {
      toastSuccess(t.officeSaved);
      await qc.invalidateQueries({ queryKey: respKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.officeEdit}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.save}
      cancelText={c.cancel}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="officeUnitId" label={t.officeUnit}>
          <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeData={tree} treeDefaultExpandAll />
        </Form.Item>
        <Form.Item name="officeText" label={t.officeText} rules={[{ max: 200 }]}>
          <Input placeholder={t.officeTextPlaceholder} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface MemberValues {
  personId: string;
  role: GroupRole;
  fromDate: Dayjs;
}

function MemberModal({ unitId, open, onClose }: { unitId: string; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<MemberValues>();
  const qc = useQueryClient();
  const add = useMutation({
    mutationFn: (v: MemberValues) =>
      api.post(`/api/responsibility/units/${unitId}/members`, {
        personId: v.personId,
        role: v.role,
        fromDate: v.fromDate.format('YYYY-MM-DD'),
      }),
    onSuccess: async () => {
      toastSuccess(t.memberAdded);
      await qc.invalidateQueries({ queryKey: respKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.addMember}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.ok}
      cancelText={c.cancel}
      confirmLoading={add.isPending}
      okButtonProps={{ 'data-testid': 'member-ok' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t.replaceHint}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ role: 'member', fromDate: dayjs().tz(TZ) }} onFinish={(v) => add.mutate(v)}>
        <Form.Item name="personId" label={c.person} rules={[{ required: true, message: c.personRequired }]}>
          <PersonSelect unitId={unitId} testId="member-person" />
        </Form.Item>
        <Form.Item name="role" label={t.role} rules={[{ required: true, message: t.roleRequired }]}>
          <Select options={groupRoles.map((r) => ({ value: r, label: groupRoleLabels[r] }))} data-testid="member-role" />
        </Form.Item>
        <Form.Item name="fromDate" label={c.fromDate} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface AssignmentValues {
  kind: DutyKind;
  personId?: string;
  bodyName?: string;
  areas?: string[];
  chargeUnitIds?: string[];
  contactPoints?: string[];
  note?: string;
  fromDate: Dayjs;
}

function AssignmentModal({ unitId, open, onClose }: { unitId: string; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<AssignmentValues>();
  const kind = Form.useWatch('kind', form);
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const tree = useMemo(() => {
    const inside = subtreeIds(units ?? [], unitId);
    return unitTreeSelectData(units ?? [], (u) => !inside.has(u.id) || u.id === unitId);
  }, [units, unitId]);
  const add = useMutation({
    mutationFn: (v: AssignmentValues) =>
      api.post(`/api/responsibility/units/${unitId}/assignments`, {
        kind: v.kind,
        personId: v.kind === 'principal' ? undefined : v.personId,
        bodyName: v.kind === 'principal' ? v.bodyName?.trim() : undefined,
        areas: v.kind === 'dual' ? (v.areas ?? []) : [],
        chargeUnitIds: v.kind === 'dual' ? (v.chargeUnitIds ?? []) : [],
        contactPoints: v.kind === 'dual' ? (v.contactPoints ?? []) : [],
        note: v.note?.trim() ?? '',
        fromDate: v.fromDate.format('YYYY-MM-DD'),
      }),
    onSuccess: async () => {
      toastSuccess(t.assignmentAdded);
      await qc.invalidateQueries({ queryKey: respKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.addAssignment}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={c.ok}
      cancelText={c.cancel}
      confirmLoading={add.isPending}
      okButtonProps={{ 'data-testid': 'assignment-ok' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t.replaceHint}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ kind: 'dual', fromDate: dayjs().tz(TZ) }} onFinish={(v) => add.mutate(v)}>
        <Form.Item name="kind" label={t.kind} rules={[{ required: true, message: t.kindRequired }]}>
          <Select options={dutyKinds.map((k) => ({ value: k, label: dutyKindLabels[k] }))} data-testid="assignment-kind" />
        </Form.Item>
        {kind === 'principal' ? (
          <Form.Item name="bodyName" label={t.bodyName}>
            <Input placeholder={t.bodyNamePlaceholder} maxLength={200} />
          </Form.Item>
        ) : (
          <Form.Item name="personId" label={c.person} rules={[{ required: true, message: c.personRequired }]}>
            <PersonSelect unitId={unitId} testId="assignment-person" />
          </Form.Item>
        )}
        {kind === 'dual' ? (
          <>
            <Form.Item name="areas" label={t.areas}>
              <Select mode="tags" placeholder={t.areasPlaceholder} open={false} data-testid="assignment-areas" />
            </Form.Item>
            <Form.Item name="chargeUnitIds" label={t.chargeUnits}>
              <TreeSelect multiple treeCheckable={false} showSearch treeNodeFilterProp="title" treeData={tree} />
            </Form.Item>
            <Form.Item name="contactPoints" label={t.contactPoints}>
              <Select mode="tags" placeholder={t.contactPointsPlaceholder} open={false} />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="note" label={c.note}>
          <Input maxLength={1000} />
        </Form.Item>
        <Form.Item name="fromDate" label={c.fromDate} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---- tables

const datesText = (from: string, to: string | null) => (to ? `${from} 至 ${to}` : `${from} 起`);

function chargeText(a: DutyAssignment): string {
  const parts: string[] = [];
  if (a.areas.length) parts.push(`${t.areas}：${a.areas.join('、')}`);
  if (a.chargeUnits.length) parts.push(`${t.chargeUnits}：${a.chargeUnits.map((u) => u.name).join('、')}`);
  if (a.contactPoints.length) parts.push(`${t.contactPoints}：${a.contactPoints.join('、')}`);
  return parts.join('；');
}

function useEnd(kind: 'members' | 'assignments') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/responsibility/${kind}/${id}/end`, {}),
    onSuccess: async () => {
      toastSuccess(c.endedOk);
      await qc.invalidateQueries({ queryKey: respKey });
    },
    onError: (e) => showError(e),
  });
}

function memberColumns(canManage: boolean, end?: (id: string) => void): ColumnsType<GroupMember> {
  const cols: ColumnsType<GroupMember> = [
    {
      title: t.role,
      dataIndex: 'roleLabel',
      onCell: nowrap,
      render: (v: string, r) => <Tag color={r.role === 'head' ? 'red' : r.role === 'deputyHead' ? 'orange' : 'default'}>{v}</Tag>,
    },
    { title: c.person, dataIndex: 'displayName', onCell: nowrap },
    { title: t.posts, dataIndex: 'postTitles', render: (v: string[]) => v.join('、') || '—' },
    { title: c.fromDate, key: 'dates', onCell: nowrap, render: (_, r) => datesText(r.fromDate, r.toDate) },
  ];
  if (canManage && end)
    cols.push({
      title: '',
      key: 'actions',
      onCell: nowrap,
      render: (_, r) =>
        r.toDate ? null : (
          <Popconfirm title={c.endConfirm} onConfirm={() => end(r.id)} okText={c.ok} cancelText={c.cancel}>
            <Button type="link" size="small" danger data-testid="member-end">
              {t.endMember}
            </Button>
          </Popconfirm>
        ),
    });
  return cols;
}

function assignmentColumns(canManage: boolean, end?: (id: string) => void): ColumnsType<DutyAssignment> {
  const cols: ColumnsType<DutyAssignment> = [
    { title: t.kind, dataIndex: 'kindLabel', onCell: nowrap, render: (v: string) => <Tag color="blue">{v}</Tag> },
    { title: t.bearer, key: 'bearer', onCell: nowrap, render: (_, r) => r.displayName ?? r.bodyName },
    {
      title: t.charge,
      key: 'charge',
      onCell: () => ({ style: { minWidth: 200 } }),
      render: (_, r) => chargeText(r) || (r.note ? r.note : '—'),
    },
    { title: c.fromDate, key: 'dates', onCell: nowrap, render: (_, r) => datesText(r.fromDate, r.toDate) },
  ];
  if (canManage && end)
    cols.push({
      title: '',
      key: 'actions',
      onCell: nowrap,
      render: (_, r) =>
        r.toDate ? null : (
          <Popconfirm title={c.endConfirm} onConfirm={() => end(r.id)} okText={c.ok} cancelText={c.cancel}>
            <Button type="link" size="small" danger data-testid="assignment-end">
              {t.endAssignment}
            </Button>
          </Popconfirm>
        ),
    });
  return cols;
}

function HistoryDrawer({ unitId, open, onClose }: { unitId: string; open: boolean; onClose: () => void }) {
  const width = useDrawerWidth(760);
  const q = useResponsibilityHistory(unitId, open);
  return (
    <Drawer title={t.history} open={open} onClose={onClose} width={width} destroyOnHidden>
      {q.isError ? <Alert type="error" showIcon message={errorText(q.error)} /> : null}
      <Tabs
        items={[
          {
            key: 'members',
            label: t.historyMembers,
            children: (
              <Table
                rowKey="id"
                size="small"
                scroll={{ x: true }}
                loading={q.isFetching}
                dataSource={q.data?.members ?? []}
                columns={memberColumns(false)}
                pagination={false}
              />
            ),
          },
          {
            key: 'assignments',
            label: t.historyAssignments,
            children: (
              <Table
                rowKey="id"
                size="small"
                scroll={{ x: true }}
                loading={q.isFetching}
                dataSource={q.data?.assignments ?? []}
                columns={assignmentColumns(false)}
                pagination={false}
              />
            ),
          },
        ]}
      />
    </Drawer>
  );
}

// ---- the page

export default function GroupsPage() {
  const [unitId, setUnitId] = useSelectedUnit();
  const [sp, setSp] = useSearchParams();
  const date = sp.get('date') || undefined;
  const query = useUnitResponsibility(unitId, date);
  const subtree = useSubtreeVacancies(unitId);
  const canManage = useCan('duty.manage');
  const [dialog, setDialog] = useState<'office' | 'member' | 'assignment' | 'history' | null>(null);
  const endMember = useEnd('members');
  const endAssignment = useEnd('assignments');
  const view = query.data;
  const isToday = !date || date === todayStr();
  const others = (subtree.data ?? []).filter((u) => u.unitId !== unitId);

  const setDate = (d: Dayjs | null) => {
    const next = new URLSearchParams(sp);
    if (d) next.set('date', d.format('YYYY-MM-DD'));
    else next.delete('date');
    setSp(next);
  };

  return (
    <PageContainer
      title={t.title}
      extra={
        <>
          <UnitPicker value={unitId} onChange={setUnitId} testId="groups-unit" />
          <DatePicker value={date ? dayjs(date) : null} onChange={setDate} placeholder={c.date} allowClear data-testid="groups-date" />
          <Button icon={<HistoryOutlined />} onClick={() => setDialog('history')} disabled={!unitId}>
            {t.history}
          </Button>
        </>
      }
    >
      {!unitId ? <Empty description={c.pickUnit} /> : null}
      {query.isError ? <Alert type="error" showIcon message={errorText(query.error)} style={{ marginBottom: 12 }} /> : null}
      {query.isLoading ? <Spin /> : null}
      {view ? (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          {view.vacancies.length ? (
            <Alert
              type="warning"
              showIcon
              data-testid="groups-vacancies"
              message={`${t.vacancies}（${view.date}）`}
              description={
                <Flex wrap gap={4}>
                  {view.vacancies.map((v) => (
                    <Tag color="orange" key={`${v.kind}-${v.personId ?? ''}`}>
                      {v.label}
                      {v.detail ? `：${v.detail}` : ''}
                    </Tag>
                  ))}
                </Flex>
              }
            />
          ) : (
            <Alert type="success" showIcon message={t.noVacancy} data-testid="groups-complete" />
          )}

          <Card
            size="small"
            title={t.group}
            extra={
              canManage && isToday ? (
                <Space wrap>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setDialog('office')}>
                    {t.officeEdit}
                  </Button>
                  <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setDialog('member')} data-testid="member-add">
                    {t.addMember}
                  </Button>
                </Space>
              ) : null
            }
          >
            <Descriptions size="small" column={1} style={{ marginBottom: 8 }}>
              <Descriptions.Item label={t.office}>
                {[view.office.unitName, view.office.text].filter(Boolean).join(' · ') || t.officeNone}
              </Descriptions.Item>
            </Descriptions>
            <Table<GroupMember>
              rowKey="id"
              size="small"
              scroll={{ x: true }}
              dataSource={view.members}
              columns={memberColumns(canManage && isToday, (id) => endMember.mutate(id))}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.noMembers} /> }}
              data-testid="groups-members"
            />
          </Card>

          <Card
            size="small"
            title={t.assignments}
            extra={
              canManage && isToday ? (
                <Button
                  size="small"
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setDialog('assignment')}
                  data-testid="assignment-add"
                >
                  {t.addAssignment}
                </Button>
              ) : null
            }
          >
            <Table<DutyAssignment>
              rowKey="id"
              size="small"
              scroll={{ x: true }}
              dataSource={view.assignments}
              columns={assignmentColumns(canManage && isToday, (id) => endAssignment.mutate(id))}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.noAssignments} /> }}
              data-testid="groups-assignments"
            />
          </Card>

          <Card size="small" title={t.subtreeVacancies}>
            {others.length === 0 ? (
              <Typography.Text type="secondary">{t.subtreeVacanciesEmpty}</Typography.Text>
            ) : (
              <Table
                rowKey="unitId"
                size="small"
                scroll={{ x: true }}
                dataSource={others}
                pagination={others.length > 20 ? { pageSize: 20 } : false}
                onRow={(r) => ({ onClick: () => setUnitId(r.unitId), style: { cursor: 'pointer' } })}
                columns={[
                  { title: c.unit, dataIndex: 'unitName', onCell: nowrap },
                  {
                    title: t.vacancies,
                    key: 'v',
                    render: (_, r) => (
                      <Flex wrap gap={4}>
                        {r.vacancies.map((v) => (
                          <Tag color="orange" key={`${v.kind}-${v.personId ?? ''}`}>
                            {v.label}
                            {v.detail ? `：${v.detail}` : ''}
                          </Tag>
                        ))}
                      </Flex>
                    ),
                  },
                ]}
              />
            )}
          </Card>

          <OfficeModal view={view} open={dialog === 'office'} onClose={() => setDialog(null)} />
          <MemberModal unitId={view.unitId} open={dialog === 'member'} onClose={() => setDialog(null)} />
          <AssignmentModal unitId={view.unitId} open={dialog === 'assignment'} onClose={() => setDialog(null)} />
        </Space>
      ) : null}
      {unitId ? <HistoryDrawer unitId={unitId} open={dialog === 'history'} onClose={() => setDialog(null)} /> : null}
    </PageContainer>
  );
}
