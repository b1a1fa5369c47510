import { newPassword } from '@dutyledger/contracts';
import { useMutation } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { toastSuccess } from '../../lib/notify';
import { profileStrings as t } from './strings';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** POST /api/auth/password, validated on the client with the contracts' password policy. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void | Promise<void> }) {
  const [form] = Form.useForm<Values>();
  const change = useMutation({
    mutationFn: (v: Values) => api.post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      toastSuccess(t.password.success);
      form.resetFields();
      await onDone?.();
    },
    onError: (e) => applyServerErrors(form, e),
  });

  return (
    <Form<Values> form={form} layout="vertical" onFinish={(v) => change.mutate(v)} requiredMark={false} style={{ maxWidth: 420 }}>
      <Form.Item name="currentPassword" label={t.password.current} rules={[{ required: true, message: t.password.currentRequired }]}>
        <Input.Password autoComplete="current-password" data-testid="pw-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t.password.new}
        extra={t.password.policy}
        dependencies={['currentPassword']}
        rules={[
          { required: true, message: t.password.newRequired },
          ({ getFieldValue }) => ({
            validator(_, value: string | undefined) {
              if (!value) return Promise.resolve();
              const r = newPassword.safeParse(value);
              if (!r.success) return Promise.reject(new Error(r.error.issues[0]?.message ?? t.password.policy));
              if (value === getFieldValue('currentPassword')) return Promise.reject(new Error(t.password.sameAsCurrent));
              return Promise.resolve();
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t.password.confirm}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t.password.confirmRequired },
          ({ getFieldValue }) => ({
            validator(_, value: string | undefined) {
              if (!value || value === getFieldValue('newPassword')) return Promise.resolve();
              return Promise.reject(new Error(t.password.mismatch));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="pw-submit" block>
          {t.password.submit}
        </Button>
      </Form.Item>
    </Form>
  );
}
