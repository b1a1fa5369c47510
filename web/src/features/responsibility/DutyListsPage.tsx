import { DownloadOutlined, PrinterOutlined, SettingOutlined } from '@ant-design/icons';
import { type DutyListItem, type DutyListKind, dutyListKindLabels, dutyListKinds } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Empty, Form, Input, InputNumber, Modal, Segmented, Select, Spin, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCan, useCurrentMe } from '../../lib/session';
import { PageContainer } from '../../lib/ui';
import { useUnits } from '../org/api';
import { dutyListExportHref, respKey, useDutyList, useDutyListItems } from './api';
import { respStrings } from './strings';
import { UnitPicker, useSelectedUnit } from './UnitPicker';
import './print.css';

const c = respStrings.common;
const t = respStrings.lists;

/** The template is global: only a unit administrator acting for a top unit (no parent) edits it (the server checks too). */
function useIsTopUnitAdmin(): boolean {
  const me = useCurrentMe();
  const { data: units } = useUnits(false);
  const post = me.posts.find((p) => p.id === me.currentPostId);
  if (!post?.roles.includes('unitAdmin')) return false;
  return (units ?? []).some((u) => u.id === post.scopeRootId && u.parentId === null);
}

function TemplateDrawer({ open, onClose, canEdit }: { open: boolean; onClose: () => void; canEdit: boolean }) {
  const width = useDrawerWidth(820);
  const q = useDutyListItems(open);
  const qc = useQueryClient();
  const [form] = Form.useForm<{ listKind: DutyListKind; category?: string; content: string }>();
  const [adding, setAdding] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: respKey });
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: Partial<DutyListItem> }) => api.patch(`/api/duty-list-items/${id}`, patch),
    onSuccess: async () => {
      toastSuccess(t.itemSaved);
      await refresh();
    },
    onError: (e) => showError(e),
  });
  const create = useMutation({
    mutationFn: (v: { listKind: DutyListKind; category?: string; content: string }) =>
      api.post('/api/duty-list-items', { listKind: v.listKind, category: v.category?.trim() ?? '', content: v.content.trim() }),
    onSuccess: async () => {
      toastSuccess(t.itemSaved);
      setAdding(false);
      await refresh();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Drawer
      title={t.templateTitle}
      open={open}
      onClose={onClose}
      width={width}
      extra={
        canEdit ? (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t.addItem}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t.templateHint}</Typography.Paragraph>
      {q.isError ? <Alert type="error" showIcon message={errorText(q.error)} /> : null}
      <Table<DutyListItem>
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={q.isFetching}
        dataSource={q.data ?? []}
        pagination={false}
        columns={[
          {
            title: t.kind,
            dataIndex: 'listKind',
            render: (k: DutyListKind) => dutyListKindLabels[k],
            onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
          },
          { title: t.category, dataIndex: 'category', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
          {
            title: t.content,
            dataIndex: 'content',
            render: (v: string, r) =>
              canEdit ? (
                <Typography.Paragraph
                  style={{ margin: 0 }}
                  editable={{ onChange: (content) => content.trim() && content !== v && update.mutate({ id: r.id, patch: { content } }) }}
                >
                  {v}
                </Typography.Paragraph>
              ) : (
                v
              ),
          },
          {
            title: t.sort,
            dataIndex: 'sort',
            render: (v: number, r) =>
              canEdit ? (
                <InputNumber
                  size="small"
                  min={0}
                  defaultValue={v}
                  onBlur={(e) => Number(e.target.value) !== v && update.mutate({ id: r.id, patch: { sort: Number(e.target.value) } })}
                />
              ) : (
                v
              ),
          },
          {
            title: t.active,
            dataIndex: 'active',
            render: (v: boolean, r) => (
              <Switch size="small" checked={v} disabled={!canEdit} onChange={(active) => update.mutate({ id: r.id, patch: { active } })} />
            ),
          },
        ]}
      />
      <Modal
        title={t.addItem}
        open={adding}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okText={c.ok}
        cancelText={c.cancel}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ listKind: 'principal' }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="listKind" label={t.kind} rules={[{ required: true }]}>
            <Select options={dutyListKinds.map((k) => ({ value: k, label: dutyListKindLabels[k] }))} />
          </Form.Item>
          <Form.Item name="category" label={t.category}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="content" label={t.content} rules={[{ required: true, whitespace: true, message: t.contentRequired }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}

export default function DutyListsPage() {
  const [unitId, setUnitId] = useSelectedUnit();
  const [sp, setSp] = useSearchParams();
  const kindParam = sp.get('kind');
  const kind: DutyListKind = (dutyListKinds as readonly string[]).includes(kindParam ?? '') ? (kindParam as DutyListKind) : 'principal';
  const q = useDutyList(unitId, kind);
  const canRead = useCan('duty.read');
  const canEditTemplates = useIsTopUnitAdmin();
  const [templates, setTemplates] = useState(false);
  const list = q.data;
  const setKind = (k: DutyListKind) => {
    const next = new URLSearchParams(sp);
    next.set('kind', k);
    setSp(next);
  };

  return (
    <PageContainer
      title={t.title}
      extra={
        <>
          <UnitPicker value={unitId} onChange={setUnitId} testId="lists-unit" />
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!list} data-testid="lists-print">
            {t.print}
          </Button>
          {unitId ? (
            <Button icon={<DownloadOutlined />} href={dutyListExportHref(unitId, kind)} data-testid="lists-export">
              {t.export}
            </Button>
          ) : null}
          {canRead ? (
            <Button icon={<SettingOutlined />} onClick={() => setTemplates(true)}>
              {t.templates}
            </Button>
          ) : null}
        </>
      }
    >
      <div className="dl-no-print" style={{ marginBottom: 12, overflowX: 'auto' }}>
        <Segmented<DutyListKind>
          value={kind}
          onChange={setKind}
          options={dutyListKinds.map((k) => ({ value: k, label: dutyListKindLabels[k] }))}
          data-testid="lists-kind"
        />
      </div>
      {!unitId ? <Empty description={c.pickUnit} /> : null}
      {q.isError ? <Alert type="error" showIcon message={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {list ? (
        <article className="dl-print-area" data-testid="duty-list">
          <h1 className="dl-print-title">{list.title}</h1>
          <p className="dl-print-meta">
            {c.unit}：{list.unitName}　　{t.generatedAt}：{formatDate(list.date)}
          </p>
          {list.sheets.length === 0 ? <Empty description={t.empty} /> : null}
          {list.sheets.map((s, i) => (
            <section key={`${s.subjectUnitId ?? ''}-${s.subjectPersonId ?? ''}-${s.subject}`} className="dl-print-sheet">
              <h2>
                {list.sheets.length > 1 ? `${i + 1}. ` : ''}
                {t.subject}：{s.subject}
              </h2>
              <table className="dl-print-table">
                <tbody>
                  <tr>
                    <th>{t.responsible}</th>
                    <td>{s.responsible.length ? s.responsible.map((r) => `${r.role}：${r.name}`).join('；') : c.none}</td>
                  </tr>
                  {s.charge.length ? (
                    <tr>
                      <th>{t.charge}</th>
                      <td>{s.charge.join('；')}</td>
                    </tr>
                  ) : null}
                  <tr>
                    <th>{t.items}</th>
                    <td>
                      <ol>
                        {s.items.map((it) => (
                          <li key={it.content}>
                            {it.category ? <strong>【{it.category}】</strong> : null}
                            {it.content}
                          </li>
                        ))}
                      </ol>
                    </td>
                  </tr>
                  <tr>
                    <th>{t.openTasks}</th>
                    <td>
                      {s.openTasks.length ? (
                        <ol>
                          {s.openTasks.map((task) => (
                            <li key={task.id}>
                              {task.title}（{task.unitName}，{task.stateLabel}，{t.deadline}
                              {formatDate(task.deadline)}
                              {task.overdue ? <span className="dl-print-overdue">，{t.overdue}</span> : null}）
                            </li>
                          ))}
                        </ol>
                      ) : (
                        t.noOpenTasks
                      )}
                    </td>
                  </tr>
                  <tr>
                    <th>{t.rules}</th>
                    <td>{s.rules.length ? s.rules.map((r) => `${r.name}：${r.requirement}`).join('；') : t.noRules}</td>
                  </tr>
                </tbody>
              </table>
            </section>
          ))}
        </article>
      ) : null}
      <TemplateDrawer open={templates} onClose={() => setTemplates(false)} canEdit={canEditTemplates} />
    </PageContainer>
  );
}
