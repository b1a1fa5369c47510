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

const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage'));
const AnalysisPage = lazy(() => import('../features/opinion/AnalysisPage'));
const EventsPage = lazy(() => import('../features/opinion/EventsPage'));
const ResponsePlansPage = lazy(() => import('../features/opinion/PlansPage'));
const BulletinsPage = lazy(() => import('../features/opinion/BulletinsPage'));
const GroupsPage = lazy(() => import('../features/responsibility/GroupsPage'));
const DutyListsPage = lazy(() => import('../features/responsibility/DutyListsPage'));
const LettersPage = lazy(() => import('../features/responsibility/LettersPage'));
const CompliancePage = lazy(() => import('../features/compliance/CompliancePage'));
const ComplianceCalendarPage = lazy(() => import('../features/compliance/CalendarPage'));
const RulesPage = lazy(() => import('../features/compliance/RulesPage'));
const StudyPlansPage = lazy(() => import('../features/compliance/StudyPlansPage'));
const ChannelsPage = lazy(() => import('../features/channels/ChannelsPage'));
const PublicationsPage = lazy(() => import('../features/channels/PublicationsPage'));
const FilingsPage = lazy(() => import('../features/channels/FilingsPage'));
const SelfChecksPage = lazy(() => import('../features/channels/SelfChecksPage'));
const ReportWindowsPage = lazy(() => import('../features/reports/WindowsPage'));
const ReportBoardPage = lazy(() => import('../features/reports/BoardPage'));
const MyReportsPage = lazy(() => import('../features/reports/MySubmissionsPage'));
const RectifyPage = lazy(() => import('../features/rectify/RectifyPage'));
const AccountabilityPage = lazy(() => import('../features/accountability/AccountabilityPage'));
const OutputsPage = lazy(() => import('../features/outputs/OutputsPage'));
const AssessmentPage = lazy(() => import('../features/assessment/AssessmentPage'));
const AssessmentCyclePage = lazy(() => import('../features/assessment/CyclePage'));
const LedgerPage = lazy(() => import('../features/ledger/LedgerPage'));
const OrgPage = lazy(() => import('../features/org/OrgPage'));
const PeoplePage = lazy(() => import('../features/people/PeoplePage'));
const PlansPage = lazy(() => import('../features/duty/PlansPage'));
const TasksPage = lazy(() => import('../features/duty/TasksPage'));
const MeetingsPage = lazy(() => import('../features/meetings/MeetingsPage'));
const MeetingKindsPage = lazy(() => import('../features/meetings/MeetingKindsPage'));
const StudyNotesPage = lazy(() => import('../features/meetings/StudyNotesPage'));
const StudyReviewPage = lazy(() => import('../features/meetings/StudyReviewPage'));
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
                  path="dashboard"
                  element={
                    <RequirePermission perm="dashboard.read">
                      <DashboardPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/analysis"
                  element={
                    <RequirePermission perm="opinion.read">
                      <AnalysisPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/analysis/:id"
                  element={
                    <RequirePermission perm="opinion.read">
                      <AnalysisPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/events"
                  element={
                    <RequirePermission perm="opinion.read">
                      <EventsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/events/:id"
                  element={
                    <RequirePermission perm="opinion.read">
                      <EventsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/plans"
                  element={
                    <RequirePermission perm="opinion.read">
                      <ResponsePlansPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/plans/:id"
                  element={
                    <RequirePermission perm="opinion.read">
                      <ResponsePlansPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/bulletins"
                  element={
                    <RequirePermission perm="bulletin.read">
                      <BulletinsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="opinion/bulletins/:id"
                  element={
                    <RequirePermission perm="bulletin.read">
                      <BulletinsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="leading-groups"
                  element={
                    <RequirePermission perm="duty.read">
                      <GroupsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="duty-lists"
                  element={
                    <RequirePermission perm="duty.read">
                      <DutyListsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="duty-letters"
                  element={
                    <RequirePermission perm="duty.read">
                      <LettersPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compliance"
                  element={
                    <RequirePermission perm="compliance.read">
                      <CompliancePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compliance/calendar"
                  element={
                    <RequirePermission perm="compliance.read">
                      <ComplianceCalendarPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compliance/rules"
                  element={
                    <RequirePermission perm="compliance.read">
                      <RulesPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="study-plans"
                  element={
                    <RequirePermission perm="meeting.read">
                      <StudyPlansPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="channels"
                  element={
                    <RequirePermission perm="channel.read">
                      <ChannelsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="publications"
                  element={
                    <RequirePermission perm="channel.read">
                      <PublicationsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="event-filings"
                  element={
                    <RequirePermission perm="channel.read">
                      <FilingsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="self-checks"
                  element={
                    <RequirePermission perm="channel.read">
                      <SelfChecksPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="reports"
                  element={
                    <RequirePermission perm="report.read">
                      <ReportWindowsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="reports/windows/:id"
                  element={
                    <RequirePermission perm="report.read">
                      <ReportBoardPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="my-reports"
                  element={
                    <RequirePermission perm="report.read">
                      <MyReportsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="my-reports/:id"
                  element={
                    <RequirePermission perm="report.read">
                      <MyReportsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="rectify"
                  element={
                    <RequirePermission perm="rectify.read">
                      <RectifyPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="outputs"
                  element={
                    <RequirePermission perm="output.read">
                      <OutputsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assessment"
                  element={
                    <RequirePermission perm="assessment.read">
                      <AssessmentPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assessment/:id"
                  element={
                    <RequirePermission perm="assessment.read">
                      <AssessmentCyclePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="ledger"
                  element={
                    <RequirePermission perm="ledger.export">
                      <LedgerPage />
                    </RequirePermission>
                  }
                />
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
                <Route
                  path="meetings"
                  element={
                    <RequirePermission perm="meeting.read">
                      <MeetingsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="meeting-kinds"
                  element={
                    <RequirePermission perm="meetingKind.manage">
                      <MeetingKindsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="study-notes"
                  element={
                    <RequirePermission perm="studyNote.write">
                      <StudyNotesPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="study-review"
                  element={
                    <RequirePermission perm="studyNote.review">
                      <StudyReviewPage />
                    </RequirePermission>
                  }
                />
                <Route path="accountability" element={<AccountabilityPage />} />
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
