/**
 * The chapter registry: the ledger's chapters in the order they are printed. A module that lands later adds
 * one file here (reading only its own service.ts) and one line below.
 */
import { accountabilityChapter } from './accountability.js';
import { analysisChapter } from './analysis.js';
import { bulletinsChapter } from './bulletins.js';
import { eventFilingsChapter } from './eventFilings.js';
import { meetingsChapter } from './meetings.js';
import { opinionEventsChapter } from './opinionEvents.js';
import { orgChapter } from './org.js';
import { outputsChapter } from './outputs.js';
import { plansChapter } from './plans.js';
import { publicationsChapter } from './publications.js';
import { rectifyChapter } from './rectify.js';
import { reportsChapter } from './reports.js';
import { responsibilityChapter } from './responsibility.js';
import { selfChecksChapter } from './selfChecks.js';
import { studyPlansChapter } from './studyPlans.js';
import { tasksChapter } from './tasks.js';
import type { LedgerChapter } from './types.js';

export type { LedgerAttachmentRef, LedgerChapter, LedgerRecord, LedgerScope } from './types.js';

export const ledgerChapters: LedgerChapter[] = [
  orgChapter, // 组织与职责
  responsibilityChapter, // 责任体系
  plansChapter, // 工作方案
  tasksChapter, // 任务落实
  meetingsChapter, // 会议学习
  studyPlansChapter, // 学习计划
  publicationsChapter, // 阵地稿件审核
  eventFilingsChapter, // 活动报备
  selfChecksChapter, // 阵地自查
  analysisChapter, // 分析研判
  opinionEventsChapter, // 舆情事件 (topics only)
  bulletinsChapter, // 通报
  reportsChapter, // 报告报送
  // assessment (考核): not built yet
  rectifyChapter, // 整改落实
  accountabilityChapter, // 问责情况 (counts only)
  outputsChapter, // 工作成果
];
