import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { Navigate, useNavigate } from 'react-router-dom';
import { ChangePasswordForm } from '../features/profile/ChangePasswordForm';
import { homePath, refreshSession, useMe } from '../lib/session';
import { FullPageSpin } from './guards';
import { appStrings as t } from './strings';
import { useLogout } from './useLogout';

/** /password: the forced change at first login (me.mustChangePassword), also reachable by choice. */
export function PasswordPage() {
  const { data: me, isPending } = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const logout = useLogout();
  if (isPending) return <FullPageSpin />;
  if (!me) return <Navigate to="/login" replace />;
  const forced = me.mustChangePassword;

  return (
    <div className="dl-login-bg">
      <Card style={{ width: '100%', maxWidth: 460 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {forced ? t.password.forcedTitle : t.password.title}
        </Typography.Title>
        {forced ? <Alert type="warning" showIcon message={t.password.forcedHint} style={{ marginBottom: 16 }} /> : null}
        <Typography.Paragraph type="secondary">
          {me.displayName}（{me.username}）
        </Typography.Paragraph>
        <ChangePasswordForm
          onDone={async () => {
            const fresh = await refreshSession(qc);
            navigate(homePath(fresh), { replace: true });
          }}
        />
        <Flex justify="space-between">
          {forced ? <span /> : <Button onClick={() => navigate(-1)}>{t.password.back}</Button>}
          <Button type="link" onClick={() => logout.mutate()} loading={logout.isPending}>
            {t.password.logout}
          </Button>
        </Flex>
      </Card>
    </div>
  );
}
