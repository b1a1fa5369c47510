/** What other modules may call of `duty` (plans and tasks). */

export { taskOnTimeRate } from './assessment-reads.js';
// responsibility: leading groups, duty assignments, duty lists, responsibility letters
export {
  createAssignment,
  dutyVacancies,
  endAssignment,
  getResponsibilityHistory,
  getUnitResponsibility,
  unitVacancies,
} from './assignments.js';
export { createDutyListItem, ensureDutyListItems, getDutyList, listDutyListItems, updateDutyListItem } from './dutyLists.js';
export { addGroupMember, endGroupMember, groupMembersOn, listUnitPeople, setGroupOffice } from './groups.js';
export {
  LETTER_ENTITY,
  type LedgerPlanItemRow,
  type LedgerReadScope,
  type LedgerResponsibilityRow,
  type LedgerTaskRow,
  ledgerPlanPages,
  ledgerResponsibilityPages,
  ledgerTaskPages,
  TASK_ENTITY,
} from './ledger-reads.js';
export { createLetter, getLetter, letterBoard, transitionLetter, updateLetter } from './letters.js';
export { createLinkedTask, type LinkedTaskInput } from './linked.js';
export { type UnitTasksOfPeriod, unitTasksOfPeriod } from './periodTasks.js';
export { addPlanItem, assignPlanItem, createPlan, getPlan, listPlans } from './plans.js';
export { type TaskBucketCounts, taskCountsByChild, tasksDoneByMonth, taskTodos } from './stats.js';
export { getTask, isOverdue, listTasks, sendTaskReminders, setTaskAssignee, transitions, transitionTask, urgeTask } from './tasks.js';
