/** User-facing text of 通知. */
export const notificationStrings = {
  title: '通知',
  all: '全部',
  unread: '未读',
  markRead: '标为已读',
  markAllRead: '全部标为已读',
  markedAllRead: '已全部标为已读',
  open: '查看',
  read: '已读',
  empty: '暂无通知',
  emptyUnread: '没有未读通知',
  total: (n: number) => `共 ${n} 条`,
} as const;
