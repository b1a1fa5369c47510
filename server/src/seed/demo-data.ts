/**
 * Data of the demo county 示范县: an invented county, invented place names, invented people.
 * Names are generated deterministically from the lists below (no real persons); usernames are
 * pinyin-like ASCII (`zhang.wenjie01`).
 */
import type { UnitType } from '@dutyledger/contracts';

export const DEMO_PASSWORD = 'Demo#2026pass';

export const ROOT = { name: '中共示范县委员会', type: '党委' as UnitType };

/** Functional departments of the county committee (they act for the committee: scope root = 县委). */
export const DEPARTMENTS = { propaganda: '县委宣传部', organization: '县委组织部', discipline: '县纪委监委' } as const;

export interface TownSpec {
  name: string;
  type: UnitType;
  children: { name: string; type: UnitType }[];
}

const village = (name: string): { name: string; type: UnitType } => ({ name: `${name}村党支部`, type: '村' });
const community = (name: string): { name: string; type: UnitType } => ({ name: `${name}社区党支部`, type: '社区' });

/** 8 townships, 3–4 villages or communities each. */
export const TOWNS: TownSpec[] = [
  { name: '青山镇党委', type: '乡镇', children: [community('青山'), village('上坪'), village('枫林'), village('石门')] },
  { name: '柳河镇党委', type: '乡镇', children: [community('柳河'), village('下湾'), village('杨家坝')] },
  { name: '石桥镇党委', type: '乡镇', children: [community('石桥'), village('桂花'), village('龙井'), village('新屋')] },
  { name: '白沙镇党委', type: '乡镇', children: [village('白沙'), village('金竹'), village('沙坝')] },
  { name: '东湖乡党委', type: '乡镇', children: [village('东湖'), village('荷塘'), village('梅子坳'), village('团结')] },
  { name: '桃源镇党委', type: '乡镇', children: [community('桃源'), village('李家湾'), village('长岭')] },
  { name: '云岭乡党委', type: '乡镇', children: [village('云岭'), village('松林'), village('高峰'), village('大坪')] },
  { name: '平川镇党委', type: '乡镇', children: [community('平川'), village('红星'), village('双河')] },
];

export interface BureauSpec {
  name: string;
  sections: string[];
}

/** 6 bureaus (局党组), 2 sections each. */
export const BUREAUS: BureauSpec[] = [
  { name: '县教育局党组', sections: ['办公室', '思想政治教育股'] },
  { name: '县卫生健康局党组', sections: ['办公室', '医政医管股'] },
  { name: '县文化和旅游局党组', sections: ['办公室', '文化艺术股'] },
  { name: '县农业农村局党组', sections: ['办公室', '农村社会事业促进股'] },
  { name: '县民政局党组', sections: ['办公室', '社会事务股'] },
  { name: '县市场监督管理局党组', sections: ['办公室', '广告监管股'] },
];

/** Schools: under the education bureau. */
export const SCHOOLS = { parent: '县教育局党组', names: ['县第一中学党总支', '县实验小学党支部'] } as const;

/** The secretary's and the clerk's title in a unit of each type. */
export function titlesFor(type: UnitType, name: string): { leader: string; clerk: string } {
  switch (type) {
    case '党委':
      return { leader: '县委书记', clerk: '县委办公室干部' };
    case '党组':
      return { leader: '党组书记', clerk: '办公室干部' };
    case '乡镇':
      return { leader: '党委书记', clerk: '党政办干部' };
    case '村':
    case '社区':
      return { leader: '党支部书记', clerk: '党务工作者' };
    case '学校':
      return { leader: name.endsWith('党总支') ? '党总支书记' : '党支部书记', clerk: '党务干事' };
    case '部门/科室':
      if (name === DEPARTMENTS.propaganda) return { leader: '部长', clerk: '宣传干事' };
      if (name === DEPARTMENTS.organization) return { leader: '部长', clerk: '组织干事' };
      if (name === DEPARTMENTS.discipline) return { leader: '书记', clerk: '纪检干事' };
      return name === '办公室' ? { leader: '办公室主任', clerk: '办公室干事' } : { leader: '股长', clerk: '干事' };
    default:
      return { leader: '书记', clerk: '干事' };
  }
}

// ---------------------------------------------------------------------------------------------
// Invented names

const SURNAMES: [string, string][] = [
  ['张', 'zhang'],
  ['王', 'wang'],
  ['李', 'li'],
  ['赵', 'zhao'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['吴', 'wu'],
  ['刘', 'liu'],
  ['黄', 'huang'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['朱', 'zhu'],
  ['林', 'lin'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['高', 'gao'],
  ['胡', 'hu'],
  ['郑', 'zheng'],
  ['郭', 'guo'],
  ['何', 'he'],
  ['罗', 'luo'],
  ['谢', 'xie'],
  ['宋', 'song'],
  ['唐', 'tang'],
  ['韩', 'han'],
  ['冯', 'feng'],
  ['邓', 'deng'],
  ['曹', 'cao'],
  ['彭', 'peng'],
  ['曾', 'zeng'],
  ['田', 'tian'],
];

const GIVEN: [string, string][] = [
  ['文', 'wen'],
  ['晓', 'xiao'],
  ['海', 'hai'],
  ['丽', 'li'],
  ['静', 'jing'],
  ['建', 'jian'],
  ['秀', 'xiu'],
  ['志', 'zhi'],
  ['玉', 'yu'],
  ['春', 'chun'],
  ['红', 'hong'],
  ['德', 'de'],
  ['华', 'hua'],
  ['燕', 'yan'],
  ['永', 'yong'],
  ['兰', 'lan'],
  ['金', 'jin'],
  ['桂', 'gui'],
  ['云', 'yun'],
  ['成', 'cheng'],
  ['雪', 'xue'],
  ['梅', 'mei'],
  ['新', 'xin'],
  ['宏', 'hong'],
  ['婷', 'ting'],
  ['俊', 'jun'],
  ['杰', 'jie'],
  ['琳', 'lin'],
  ['振', 'zhen'],
  ['荣', 'rong'],
  ['清', 'qing'],
  ['思', 'si'],
  ['明', 'ming'],
  ['芳', 'fang'],
  ['远', 'yuan'],
  ['欣', 'xin'],
  ['立', 'li'],
  ['峰', 'feng'],
];

/** Combinations that happen to be well-known public names: skipped. */
const SKIP = new Set(['张文', '李明', '王志', '李宏', '周杰', '林志', '王俊', '刘德华', '李云', '张杰', '王菲', '陈红']);

export interface DemoName {
  displayName: string;
  /** ASCII base of the username: `zhang.wenjie` (a two-digit counter is appended) */
  base: string;
}

/** The i-th invented name: surname + one or two given-name characters, deterministic. */
export function* inventedNames(): Generator<DemoName> {
  for (let i = 0; ; i++) {
    const [s, sp] = SURNAMES[(i * 7 + 3) % SURNAMES.length]!;
    const [g1, p1] = GIVEN[(i * 11 + 5) % GIVEN.length]!;
    const [g2, p2] = GIVEN[(i * 17 + 2) % GIVEN.length]!;
    const single = i % 6 === 4 || g1 === g2;
    const displayName = single ? `${s}${g1}` : `${s}${g1}${g2}`;
    if (SKIP.has(displayName)) continue;
    yield { displayName, base: single ? `${sp}.${p1}` : `${sp}.${p1}${p2}` };
  }
}
