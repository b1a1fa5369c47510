import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { isApiError } from '../lib/api';
import '../lib/format';
import { AntdBridge } from './AntdBridge';
import { HomeRedirect, NotFound, RequireAuth, RequirePermission } from './guards';
import { LoginPage } from './LoginPage';
import { PasswordPage } from './PasswordPage';
import { Shell } from './Shell';

const OrgPage = lazy(() => import('../features/org/OrgPage'));
const PeoplePage = lazy(() => import('../features/people/PeoplePage'));
const PlansPage = lazy(() => import('../features/duty/PlansPage'));
const TasksPage = lazy(() => import('../features/duty/TasksPage'));
const ProfilePage = lazy(() => import('../features/profile/ProfilePage'));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage'));
const AuditPage = lazy(() => import('../features/audit/AuditPage'));
const LoginLogPage = lazy(() => import('../features/audit/LoginLogPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // client errors (403/404/…) are answers, not glitches: do not retry them
      retry: (count, e) => !(isApiError(e) && e.status > 0 && e.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { borderRadius: 4 } }}>
      <AntdApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AntdBridge />
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/password" element={<PasswordPage />} />
              <Route
                element={
                  <RequireAuth>
                    <Shell />
                  </RequireAuth>
                }
              >
                <Route index element={<HomeRedirect />} />
                <Route
                  path="org"
                  element={
                    <RequirePermission perm="unit.read">
                      <OrgPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="people"
                  element={
                    <RequirePermission perm="person.read">
                      <PeoplePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="plans"
                  element={
                    <RequirePermission perm="task.read">
                      <PlansPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="tasks"
                  element={
                    <RequirePermission perm="task.read">
                      <TasksPage />
                    </RequirePermission>
                  }
                />
                <Route path="profile" element={<ProfilePage />} />
                <Route path="notifications" element={<NotificationsPage />} />
                <Route
                  path="audit"
                  element={
                    <RequirePermission perm="audit.read">
                      <AuditPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="login-log"
                  element={
                    <RequirePermission perm="audit.read">
                      <LoginLogPage />
                    </RequirePermission>
                  }
                />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </QueryClientProvider>
      </AntdApp>
    </ConfigProvider>
  );
}
