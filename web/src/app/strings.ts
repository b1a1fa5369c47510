/** User-facing text of the shell (layout, login, session). Simplified Chinese; add other languages beside it. */
export const appStrings = {
  appName: '责任制台账',
  appFullName: '意识形态工作责任制台账',
  appSubtitle: '意识形态工作责任制管理平台',
  loading: '加载中…',

  menu: {
    org: '组织机构',
    plans: '工作方案',
    tasks: '任务',
    people: '人员管理',
    notifications: '通知',
    profile: '个人中心',
    system: '安全审计',
    audit: '审计日志',
    loginLog: '登录日志',
    open: '打开菜单',
    collapse: '收起菜单',
    expand: '展开菜单',
  },

  header: {
    switchPost: '切换单位/职务',
    switchPostHint: '当前职务',
    switched: '已切换到',
    profile: '个人中心',
    changePassword: '修改密码',
    logout: '退出登录',
    loggedOut: '已退出登录',
  },

  bell: {
    title: '通知',
    unread: '条未读',
    empty: '暂无未读通知',
    markAllRead: '全部标为已读',
    viewAll: '查看全部通知',
    markRead: '标为已读',
  },

  login: {
    title: '用户登录',
    username: '用户名',
    password: '密码',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    submit: '登 录',
    success: '登录成功',
    footer: '请妥善保管账号密码，离开时请退出登录',
  },

  password: {
    forcedTitle: '首次登录请修改密码',
    forcedHint: '为保障账号安全，请先设置新密码，然后才能继续使用系统。',
    title: '修改密码',
    back: '返回',
    logout: '退出登录',
  },

  list: {
    search: '查询',
    reset: '重置',
    export: '导出Excel',
  },

  forbidden: {
    title: '无权访问',
    subtitle: '当前职务没有访问此页面的权限，可切换单位/职务后再试。',
    back: '返回首页',
  },
  notFound: {
    title: '页面不存在',
    subtitle: '您访问的页面不存在或已被移除。',
    back: '返回首页',
  },
  error: {
    title: '页面出错了',
    subtitle: '加载页面时发生错误，请刷新后重试。',
    retry: '刷新页面',
    sessionFailed: '无法获取登录状态',
  },
} as const;
