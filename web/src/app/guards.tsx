import type { Permission } from '@dutyledger/contracts';
import { Button, Result, Spin } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { errorText } from '../lib/notify';
import { hasPermission, homePath, useMe } from '../lib/session';
import { appStrings as t } from './strings';

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" tip={t.loading}>
        <div style={{ width: 120, height: 80 }} />
      </Spin>
    </div>
  );
}

/** Renders children only for a signed-in user who has set their own password. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isPending, isError, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageSpin />;
  if (isError)
    return (
      <Result
        status="error"
        title={t.error.sessionFailed}
        subTitle={errorText(error)}
        extra={
          <Button type="primary" onClick={() => refetch()}>
            {t.error.retry}
          </Button>
        }
      />
    );
  if (!me) return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  if (me.mustChangePassword) return <Navigate to="/password" replace />;
  return <>{children}</>;
}

export function Forbidden() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t.forbidden.title}
      subTitle={t.forbidden.subtitle}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t.forbidden.back}
        </Button>
      }
    />
  );
}

export function RequirePermission({ perm, children }: { perm: Permission; children: ReactNode }) {
  const { data: me } = useMe();
  if (!hasPermission(me, perm)) return <Forbidden />;
  return <>{children}</>;
}

export function HomeRedirect() {
  const { data: me } = useMe();
  return <Navigate to={homePath(me)} replace />;
}

export function NotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t.notFound.title}
      subTitle={t.notFound.subtitle}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t.notFound.back}
        </Button>
      }
    />
  );
}

/** Catches render errors and failed lazy chunks of a page, so the shell stays usable. */
export class PageErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (this.state.error)
      return (
        <Result
          status="error"
          title={t.error.title}
          subTitle={t.error.subtitle}
          extra={
            <Button type="primary" onClick={() => window.location.reload()}>
              {t.error.retry}
            </Button>
          }
        />
      );
    return this.props.children;
  }
}
