/** User-facing text of 个人中心 and the change-password form. */
export const profileStrings = {
  title: '个人中心',
  tabInfo: '基本信息',
  tabPassword: '修改密码',
  info: {
    displayName: '姓名',
    username: '用户名',
    currentPost: '当前职务',
    none: '无',
  },
  posts: {
    title: '我的职务与角色',
    empty: '暂无职务，请联系单位管理员',
    unit: '所在单位',
    scope: '管辖范围',
    roles: '角色',
    current: '当前',
    switchTo: '切换到此职务',
  },
  password: {
    current: '当前密码',
    new: '新密码',
    confirm: '确认新密码',
    currentRequired: '请输入当前密码',
    newRequired: '请输入新密码',
    confirmRequired: '请再次输入新密码',
    mismatch: '两次输入的新密码不一致',
    sameAsCurrent: '新密码不能与当前密码相同',
    policy: '至少10个字符，且包含大写字母、小写字母、数字、符号中的至少三类',
    submit: '确认修改',
    success: '密码已修改',
  },
} as const;
