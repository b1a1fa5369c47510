import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { toastSuccess } from '../../lib/notify';
import type { Person } from '../../lib/types';
import { peopleKey } from './api';
import { peopleStrings as t } from './strings';

interface Values {
  displayName: string;
  phone?: string;
}

/** PATCH /api/people/:id {displayName?, phone?}; an emptied phone is sent as null. */
export function PersonEditModal({ person, onClose }: { person: Person | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const close = onClose;
  useEffect(() => {
    if (!person) return;
    form.resetFields();
    form.setFieldsValue({ displayName: person.displayName, phone: person.phone ?? '' });
  }, [person, form]);
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const phone = v.phone?.trim() || null;
      const body: { displayName?: string; phone?: string | null } = {};
      if (v.displayName.trim() !== person?.displayName) body.displayName = v.displayName.trim();
      if (phone !== (person?.phone ?? null)) body.phone = phone;
      return api.patch<Person>(`/api/people/${person?.id}`, body);
    },
    onSuccess: async () => {
      toastSuccess(t.form.updated);
      await qc.invalidateQueries({ queryKey: peopleKey });
      close();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={t.form.editTitle}
      open={!!person}
      onCancel={close}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okText={t.form.submit}
      forceRender
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t.form.username}>
          <Input value={person?.username} disabled />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t.form.displayName}
          rules={[
            { required: true, whitespace: true, message: t.form.displayNameRequired },
            { max: 50, message: t.form.displayNameMax },
          ]}
        >
          <Input maxLength={50} data-testid="person-edit-displayName" />
        </Form.Item>
        <Form.Item name="phone" label={t.form.phone} rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: t.form.phonePattern }]}>
          <Input maxLength={20} inputMode="tel" data-testid="person-edit-phone" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
