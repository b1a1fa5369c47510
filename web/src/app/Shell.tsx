import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  CarryOutOutlined,
  FileTextOutlined,
  LoginOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@dutyledger/contracts';
import { Button, Drawer, Layout, Menu, type MenuProps } from 'antd';
import { type ReactNode, Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useIsMobile } from '../lib/hooks';
import { hasPermission, useCurrentMe } from '../lib/session';
import { FullPageSpin, PageErrorBoundary } from './guards';
import { NotificationBell } from './NotificationBell';
import { PostSwitcher } from './PostSwitcher';
import { appStrings as t } from './strings';
import { UserMenu } from './UserMenu';

interface NavItem {
  key: string;
  label: string;
  icon: ReactNode;
  perm?: Permission;
  group?: 'system';
}

const navItems: NavItem[] = [
  { key: '/org', label: t.menu.org, icon: <ApartmentOutlined />, perm: 'unit.read' },
  { key: '/people', label: t.menu.people, icon: <TeamOutlined />, perm: 'person.read' },
  { key: '/plans', label: t.menu.plans, icon: <FileTextOutlined />, perm: 'task.read' },
  { key: '/tasks', label: t.menu.tasks, icon: <CarryOutOutlined />, perm: 'task.read' },
  { key: '/notifications', label: t.menu.notifications, icon: <BellOutlined /> },
  { key: '/profile', label: t.menu.profile, icon: <UserOutlined /> },
  { key: '/audit', label: t.menu.audit, icon: <AuditOutlined />, perm: 'audit.read', group: 'system' },
  { key: '/login-log', label: t.menu.loginLog, icon: <LoginOutlined />, perm: 'audit.read', group: 'system' },
];

function Logo({ collapsed }: { collapsed?: boolean }) {
  return (
    <div className="dl-logo" title={t.appFullName}>
      <span className="dl-logo-mark">责</span>
      {collapsed ? null : <span>{t.appName}</span>}
    </div>
  );
}

export function Shell() {
  const me = useCurrentMe();
  const mobile = useIsMobile();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();

  const menuItems = useMemo<MenuProps['items']>(() => {
    const allowed = navItems.filter((n) => !n.perm || hasPermission(me, n.perm));
    const main = allowed.filter((n) => !n.group).map(({ key, label, icon }) => ({ key, label, icon }));
    const system = allowed.filter((n) => n.group === 'system').map(({ key, label, icon }) => ({ key, label, icon }));
    const items: NonNullable<MenuProps['items']> = [...main];
    if (system.length)
      items.push({ type: 'group', key: 'system', label: t.menu.system, children: system } as NonNullable<MenuProps['items']>[number]);
    return items;
  }, [me]);

  const selected = navItems.find((n) => location.pathname === n.key || location.pathname.startsWith(`${n.key}/`))?.key;

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      items={menuItems}
      selectedKeys={selected ? [selected] : []}
      onClick={({ key }) => {
        navigate(key);
        setDrawerOpen(false);
      }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {mobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <Logo />
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          trigger={null}
          width={208}
          style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
        >
          <Logo collapsed={collapsed} />
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <header className="dl-header" style={{ padding: mobile ? '0 8px' : '0 16px' }}>
          {mobile ? (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t.menu.open}
              onClick={() => setDrawerOpen(true)}
              data-testid="menu-toggle"
            />
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              aria-label={collapsed ? t.menu.expand : t.menu.collapse}
              onClick={() => setCollapsed((c) => !c)}
            />
          )}
          {mobile && me.posts.length <= 1 ? <span className="dl-header-title">{t.appName}</span> : null}
          <div className="dl-header-spacer" />
          {me.posts.length > 1 ? <PostSwitcher compact={mobile} /> : null}
          <NotificationBell />
          <UserMenu compact={mobile} />
        </header>
        <Layout.Content style={{ margin: mobile ? 8 : 16, minWidth: 0 }}>
          <PageErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<FullPageSpin />}>
              <Outlet />
            </Suspense>
          </PageErrorBoundary>
        </Layout.Content>
        {mobile ? null : (
          <Layout.Footer style={{ textAlign: 'center', color: '#999', padding: '12px 16px', fontSize: 12 }}>
            <SafetyCertificateOutlined /> {t.appFullName}
          </Layout.Footer>
        )}
      </Layout>
    </Layout>
  );
}
