/** What other modules may call of `dashboard`. */
export { type DashboardDeps, dashboardCaches, getDashboard } from './dashboard.js';
