import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ReportTemplate } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Drawer, Form, Input, List, Popconfirm, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { reportsKey, usePrefillSources, useTemplates } from './api';
import { reportsStrings } from './strings';

const t = reportsStrings.templates;

interface Values {
  name: string;
  sections: { key: string; title: string; guidance?: string; requiredAttachment?: boolean; prefill?: string[] }[];
}

function EditTemplate({ template, onClose }: { template: ReportTemplate | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(640);
  const qc = useQueryClient();
  const { data: sources } = usePrefillSources();
  useEffect(() => {
    if (template) form.setFieldsValue({ name: template.name, sections: template.sections });
  }, [template, form]);
  const save = useMutation({
    mutationFn: (v: Values) => api.put<ReportTemplate>(`/api/report-templates/${(template as ReportTemplate).id}`, v),
    onSuccess: async () => {
      toastSuccess(t.saved);
      await qc.invalidateQueries({ queryKey: reportsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Drawer
      title={template ? t.editTitle(template.name) : ''}
      open={!!template}
      onClose={onClose}
      width={width}
      destroyOnHidden
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="template-save">
            {t.save}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon message={t.editHint} style={{ marginBottom: 12 }} />
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true, message: t.nameRequired }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.List name="sections">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ marginBottom: 8 }}
                  extra={
                    <Popconfirm title={t.removeConfirm} okText={t.ok} cancelText={t.cancel} onConfirm={() => remove(f.name)}>
                      <Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t.removeSection} />
                    </Popconfirm>
                  }
                >
                  <Space wrap align="start">
                    <Form.Item
                      name={[f.name, 'key']}
                      label={t.sectionKey}
                      rules={[
                        { required: true, message: t.sectionKeyRequired },
                        { pattern: /^[A-Za-z0-9_-]+$/, message: t.sectionKeyPattern },
                      ]}
                    >
                      <Input maxLength={40} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'title']}
                      label={t.sectionTitle}
                      rules={[{ required: true, whitespace: true, message: t.sectionTitleRequired }]}
                    >
                      <Input maxLength={100} style={{ width: 260 }} />
                    </Form.Item>
                  </Space>
                  <Form.Item name={[f.name, 'guidance']} label={t.guidance}>
                    <Input.TextArea rows={2} maxLength={2000} />
                  </Form.Item>
                  <Space wrap>
                    <Form.Item name={[f.name, 'prefill']} label={t.prefill}>
                      <Select
                        mode="multiple"
                        allowClear
                        placeholder={t.prefillPlaceholder}
                        style={{ minWidth: 220 }}
                        options={(sources ?? []).map((s) => ({ value: s.key, label: s.label }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'requiredAttachment']} valuePropName="checked" label=" ">
                      <Checkbox>{t.requiredAttachment}</Checkbox>
                    </Form.Item>
                  </Space>
                </Card>
              ))}
              <Button
                block
                icon={<PlusOutlined />}
                onClick={() => add({ key: '', title: '', guidance: '', prefill: [], requiredAttachment: false })}
              >
                {t.addSection}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

/** 报告模板: the current version of each template; a top unit's admin edits them (copy-on-edit). */
export function TemplatesDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const width = useDrawerWidth(560);
  const { data, isLoading } = useTemplates();
  const canEdit = useCan('reportTemplate.manage');
  const [editing, setEditing] = useState<ReportTemplate | null>(null);
  return (
    <Drawer title={t.title} open={open} onClose={onClose} width={width}>
      <List
        loading={isLoading}
        dataSource={data ?? []}
        locale={{ emptyText: t.empty }}
        renderItem={(x) => (
          <List.Item
            actions={
              canEdit
                ? [
                    <Button key="edit" type="link" size="small" onClick={() => setEditing(x)} data-testid="template-edit">
                      {t.edit}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space>
                  {x.name}
                  <Tag>{t.version(x.version)}</Tag>
                </Space>
              }
              description={`${t.sections(x.sections.length)}：${x.sections.map((s) => s.title).join('、')}`}
            />
          </List.Item>
        )}
      />
      <EditTemplate template={editing} onClose={() => setEditing(null)} />
    </Drawer>
  );
}
