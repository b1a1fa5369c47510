/** What other modules may call of `duty` (plans and tasks). */
export { addPlanItem, assignPlanItem, createPlan, getPlan, listPlans } from './plans.js';
export { getTask, isOverdue, listTasks, sendTaskReminders, transitions, transitionTask, urgeTask } from './tasks.js';
