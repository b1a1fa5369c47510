import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../lib/api';
import { errorText } from '../lib/notify';
import { homePath, refreshSession, useMe } from '../lib/session';
import { FullPageSpin } from './guards';
import { appStrings as t } from './strings';

interface Values {
  username: string;
  password: string;
}

function safeFrom(state: unknown): string | null {
  const from = (state as { from?: unknown } | null)?.from;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//')) return null;
  if (from.startsWith('/login') || from.startsWith('/password')) return null;
  return from;
}

export function LoginPage() {
  const { data: me, isPending } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const from = safeFrom(location.state);

  const login = useMutation({
    mutationFn: (v: Values) =>
      api.post<unknown>('/api/auth/login', { username: v.username.trim(), password: v.password }, { on401: 'throw' }),
    onSuccess: async () => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      const fresh = await refreshSession(qc);
      if (fresh?.mustChangePassword) navigate('/password', { replace: true });
      else navigate(from ?? homePath(fresh), { replace: true });
    },
  });

  if (isPending) return <FullPageSpin />;
  if (me && !login.isPending) return <Navigate to={me.mustChangePassword ? '/password' : (from ?? homePath(me))} replace />;

  return (
    <div className="dl-login-bg">
      <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: '32px 28px 16px' } }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <span className="dl-logo-mark" style={{ width: 44, height: 44, fontSize: 22, borderRadius: 10 }}>
            责
          </span>
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            {t.appName}
          </Typography.Title>
          <Typography.Text type="secondary">{t.appSubtitle}</Typography.Text>
        </div>
        {login.isError ? <Alert type="error" showIcon message={errorText(login.error)} style={{ marginBottom: 16 }} /> : null}
        <Form<Values> layout="vertical" size="large" requiredMark={false} onFinish={(v) => login.mutate(v)} autoComplete="on">
          <Form.Item name="username" rules={[{ required: true, whitespace: true, message: t.login.usernameRequired }]}>
            <Input
              prefix={<UserOutlined />}
              placeholder={t.login.username}
              autoComplete="username"
              autoFocus
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: t.login.passwordRequired }]}>
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={t.login.password}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
              {t.login.submit}
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12, marginBottom: 0 }}>
          {t.login.footer}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
