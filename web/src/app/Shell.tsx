import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  CommentOutlined,
  DashboardOutlined,
  EditOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FundOutlined,
  LoginOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  NotificationOutlined,
  OrderedListOutlined,
  ProfileOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SolutionOutlined,
  SoundOutlined,
  TagsOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@dutyledger/contracts';
import { Button, Drawer, Layout, Menu, type MenuProps } from 'antd';
import { type ReactNode, Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { assessmentStrings } from '../features/assessment/strings';
import { complianceStrings } from '../features/compliance/strings';
import { reportsStrings } from '../features/reports/strings';
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
  /** the submenu it sits in (labels in strings.menu.groups); none: top level */
  group?: MenuGroup;
}

type MenuGroup = keyof typeof t.menu.groups;

const navItems: NavItem[] = [
  { key: '/dashboard', label: t.menu.dashboard, icon: <DashboardOutlined />, perm: 'dashboard.read' },
  { key: '/org', label: t.menu.org, icon: <ApartmentOutlined />, perm: 'unit.read', group: 'org' },
  { key: '/people', label: t.menu.people, icon: <TeamOutlined />, perm: 'person.read', group: 'org' },
  { key: '/plans', label: t.menu.plans, icon: <FileTextOutlined />, perm: 'task.read', group: 'tasks' },
  { key: '/tasks', label: t.menu.tasks, icon: <CarryOutOutlined />, perm: 'task.read', group: 'tasks' },
  { key: '/meetings', label: t.menu.meetings, icon: <CommentOutlined />, perm: 'meeting.read', group: 'meetings' },
  { key: '/study-notes', label: t.menu.studyNotes, icon: <BookOutlined />, perm: 'studyNote.write', group: 'meetings' },
  { key: '/study-review', label: t.menu.studyReview, icon: <ReadOutlined />, perm: 'studyNote.review', group: 'meetings' },
  { key: '/meeting-kinds', label: t.menu.meetingKinds, icon: <TagsOutlined />, perm: 'meetingKind.manage', group: 'meetings' },
  { key: '/opinion/analysis', label: t.menu.analysis, icon: <FundOutlined />, perm: 'opinion.read', group: 'opinion' },
  { key: '/opinion/events', label: t.menu.opinionEvents, icon: <AlertOutlined />, perm: 'opinion.read', group: 'opinion' },
  { key: '/opinion/plans', label: t.menu.responsePlans, icon: <SafetyOutlined />, perm: 'opinion.read', group: 'opinion' },
  { key: '/opinion/bulletins', label: t.menu.bulletins, icon: <NotificationOutlined />, perm: 'bulletin.read', group: 'opinion' },
  { key: '/leading-groups', label: t.menu.leadingGroups, icon: <ClusterOutlined />, perm: 'duty.read', group: 'responsibility' },
  { key: '/duty-lists', label: t.menu.dutyLists, icon: <OrderedListOutlined />, perm: 'duty.read', group: 'responsibility' },
  { key: '/duty-letters', label: t.menu.dutyLetters, icon: <SolutionOutlined />, perm: 'duty.read', group: 'responsibility' },
  { key: '/study-plans', label: complianceStrings.menu.studyPlans, icon: <ReadOutlined />, perm: 'meeting.read', group: 'meetings' },
  {
    key: '/compliance',
    label: complianceStrings.menu.compliance,
    icon: <CheckSquareOutlined />,
    perm: 'compliance.read',
    group: 'compliance',
  },
  {
    key: '/compliance/rules',
    label: complianceStrings.menu.rules,
    icon: <ProfileOutlined />,
    perm: 'compliance.read',
    group: 'compliance',
  },
  { key: '/channels', label: t.menu.channels, icon: <SoundOutlined />, perm: 'channel.read', group: 'channels' },
  { key: '/publications', label: t.menu.publications, icon: <EditOutlined />, perm: 'channel.read', group: 'channels' },
  { key: '/event-filings', label: t.menu.eventFilings, icon: <CalendarOutlined />, perm: 'channel.read', group: 'channels' },
  { key: '/self-checks', label: t.menu.selfChecks, icon: <CheckSquareOutlined />, perm: 'channel.read', group: 'channels' },
  { key: '/reports', label: reportsStrings.menu.windows, icon: <ProfileOutlined />, perm: 'report.read', group: 'reports' },
  { key: '/my-reports', label: reportsStrings.menu.mine, icon: <FileDoneOutlined />, perm: 'report.read', group: 'reports' },
  { key: '/rectify', label: t.menu.rectify, icon: <SafetyCertificateOutlined />, perm: 'rectify.read', group: 'inspection' },
  { key: '/accountability', label: t.menu.accountability, icon: <AlertOutlined />, group: 'inspection' },
  { key: '/outputs', label: t.menu.outputs, icon: <TrophyOutlined />, perm: 'output.read' },
  { key: '/assessment', label: assessmentStrings.menu, icon: <BarChartOutlined />, perm: 'assessment.read' },
  { key: '/ledger', label: t.menu.ledger, icon: <BookOutlined />, perm: 'ledger.export' },
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
    const items: NonNullable<MenuProps['items']> = [];
    const seen = new Set<MenuGroup>();
    for (const n of allowed) {
      if (!n.group) {
        items.push({ key: n.key, label: n.label, icon: n.icon });
        continue;
      }
      if (seen.has(n.group)) continue;
      seen.add(n.group);
      const children = allowed.filter((x) => x.group === n.group).map(({ key, label, icon }) => ({ key, label, icon }));
      items.push(
        n.group === 'system'
          ? ({ type: 'group', key: `g:${n.group}`, label: t.menu.groups[n.group], children } as NonNullable<MenuProps['items']>[number])
          : { key: `g:${n.group}`, label: t.menu.groups[n.group], icon: n.icon, children },
      );
    }
    return items;
  }, [me]);

  // the longest matching key wins (/compliance/rules is its own entry under /compliance)
  const selected = navItems
    .filter((n) => location.pathname === n.key || location.pathname.startsWith(`${n.key}/`))
    .sort((a, b) => b.key.length - a.key.length)[0]?.key;

  const openGroup = navItems.find((n) => n.key === selected)?.group;
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      items={menuItems}
      defaultOpenKeys={openGroup ? [`g:${openGroup}`] : []}
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
