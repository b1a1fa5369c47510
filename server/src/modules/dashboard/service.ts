/** What other modules may call of `dashboard`. */
export { getDashboard } from './dashboard.js';
