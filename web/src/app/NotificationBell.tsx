import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, List, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { isInternalLink, useMarkAllRead, useMarkRead, useNotifications } from '../features/notifications/api';
import { formatRelative } from '../lib/format';
import { useIsXs } from '../lib/hooks';
import type { Notification } from '../lib/types';
import { appStrings as t } from './strings';

/** Header bell: unread count, the latest 10 unread in a popover. Polls every minute. */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const xs = useIsXs();
  const navigate = useNavigate();
  const { data, isPending } = useNotifications({ page: 1, pageSize: 10, unread: true }, { refetchInterval: 60_000 });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const unread = data?.unreadCount ?? data?.total ?? 0;

  const openItem = (n: Notification) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link) {
      setOpen(false);
      if (isInternalLink(n.link)) navigate(n.link);
      else window.open(n.link, '_blank', 'noopener,noreferrer');
    }
  };

  const content = (
    <div style={{ width: xs ? 'calc(100vw - 32px)' : 360, maxWidth: 360 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>
          {t.bell.title}
          {unread ? (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8 }}>
              {unread}
              {t.bell.unread}
            </Typography.Text>
          ) : null}
        </Typography.Text>
        <Button size="small" type="link" disabled={!unread} loading={markAll.isPending} onClick={() => markAll.mutate()}>
          {t.bell.markAllRead}
        </Button>
      </Flex>
      {isPending ? (
        <Spin style={{ display: 'block', padding: 24 }} />
      ) : data?.items.length ? (
        <List<Notification>
          size="small"
          dataSource={data.items}
          style={{ maxHeight: 360, overflow: 'auto' }}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: n.link ? 'pointer' : 'default', alignItems: 'flex-start' }}
              onClick={() => openItem(n)}
              actions={[
                <Button
                  key="read"
                  size="small"
                  type="link"
                  onClick={(e) => {
                    e.stopPropagation();
                    markRead.mutate(n.id);
                  }}
                >
                  {t.bell.markRead}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Flex align="center">
                    <span className="dl-unread-dot" />
                    <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                      {n.title}
                    </Typography.Text>
                  </Flex>
                }
                description={
                  <>
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0, fontSize: 12 }}>
                      {n.body}
                    </Typography.Paragraph>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatRelative(n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.bell.empty} />
      )}
      <div style={{ textAlign: 'center', borderTop: '1px solid #f0f0f0', paddingTop: 8, marginTop: 4 }}>
        <Button
          type="link"
          size="small"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
        >
          {t.bell.viewAll}
        </Button>
      </div>
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" arrow={false}>
      <Button type="text" aria-label={t.bell.title} data-testid="notification-bell" style={{ paddingInline: 8 }}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
