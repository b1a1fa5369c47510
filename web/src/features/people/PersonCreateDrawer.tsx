import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Divider, Drawer, Form, Input, Space } from 'antd';
import { useEffect } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import type { TemporaryPasswordResult, Unit } from '../../lib/types';
import { peopleKey } from './api';
import { PostFields, type PostValues, toPostBody } from './PostFields';
import { peopleStrings as t } from './strings';

interface Values {
  username: string;
  displayName: string;
  phone?: string;
  post: PostValues;
}

const USERNAME = /^[a-zA-Z0-9_.-]+$/;
const PHONE = /^[0-9+\- ]{5,20}$/;

/** POST /api/people {username, displayName, phone?, post} → {person, temporaryPassword}. */
export function PersonCreateDrawer({
  open,
  units,
  defaultUnitId,
  onClose,
  onCreated,
}: {
  open: boolean;
  units: Unit[];
  defaultUnitId?: string;
  onClose: () => void;
  onCreated: (r: TemporaryPasswordResult) => void;
}) {
  const [form] = Form.useForm<Values>();
  const close = onClose;
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const width = useDrawerWidth(560);
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (v: Values) =>
      api.post<TemporaryPasswordResult>('/api/people', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        phone: v.phone?.trim() || undefined,
        post: toPostBody(v.post),
      }),
    onSuccess: async (r) => {
      toastSuccess(t.form.created);
      await qc.invalidateQueries({ queryKey: peopleKey });
      onCreated(r);
      close();
    },
    onError: (e) => applyServerErrors(form, e),
  });

  return (
    <Drawer
      title={t.form.createTitle}
      open={open}
      onClose={close}
      width={width}
      forceRender
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={close}>{t.form.cancel}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="person-submit">
            {t.form.submit}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => create.mutate(v)}
        initialValues={{ post: { unitId: defaultUnitId, roles: ['clerk'] } }}
        autoComplete="off"
      >
        <Form.Item
          name="username"
          label={t.form.username}
          extra={t.form.usernameHint}
          rules={[
            { required: true, whitespace: true, message: t.form.usernameRequired },
            { min: 3, message: t.form.usernameMin },
            { max: 32, message: t.form.usernameMax },
            { pattern: USERNAME, message: t.form.usernamePattern },
          ]}
        >
          <Input maxLength={32} data-testid="person-username" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t.form.displayName}
          rules={[
            { required: true, whitespace: true, message: t.form.displayNameRequired },
            { max: 50, message: t.form.displayNameMax },
          ]}
        >
          <Input maxLength={50} data-testid="person-displayName" />
        </Form.Item>
        <Form.Item name="phone" label={t.form.phone} rules={[{ pattern: PHONE, message: t.form.phonePattern }]}>
          <Input maxLength={20} inputMode="tel" data-testid="person-phone" />
        </Form.Item>
        <Divider orientation="left" plain>
          {t.form.postSection}
        </Divider>
        <PostFields units={units} prefix="post" testIdPrefix="person" />
      </Form>
    </Drawer>
  );
}
