import { CheckOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, List, Segmented, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { formatDateTimeShort } from '../../lib/format';
import { useIsMobile } from '../../lib/hooks';
import { useListParams } from '../../lib/list';
import { errorText, toastSuccess } from '../../lib/notify';
import type { Notification } from '../../lib/types';
import { PageContainer } from '../../lib/ui';
import { isInternalLink, useMarkAllRead, useMarkRead, useNotifications } from './api';
import { notificationStrings as t } from './strings';

export default function NotificationsPage() {
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const list = useListParams((sp) => sp.get('unread') === 'true');
  const { page, pageSize, filter: unread } = list;
  const { data, isFetching, isError, error } = useNotifications({ page, pageSize, unread });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();

  const open = (n: Notification) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (!n.link) return;
    if (isInternalLink(n.link)) navigate(n.link);
    else window.open(n.link, '_blank', 'noopener,noreferrer');
  };

  return (
    <PageContainer
      title={t.title}
      extra={
        <Button
          icon={<CheckOutlined />}
          loading={markAll.isPending}
          onClick={() =>
            markAll.mutateAsync().then(
              () => toastSuccess(t.markedAllRead),
              () => undefined,
            )
          }
          data-testid="notifications-read-all"
        >
          {t.markAllRead}
        </Button>
      }
    >
      <Card size="small">
        <Segmented
          value={unread ? 'unread' : 'all'}
          onChange={(v) => list.setSearchParams(v === 'unread' ? { unread: 'true' } : {})}
          options={[
            { value: 'all', label: t.all },
            { value: 'unread', label: data?.unreadCount ? `${t.unread}（${data.unreadCount}）` : t.unread },
          ]}
          style={{ marginBottom: 12 }}
        />
        {isError ? <Alert type="error" showIcon message={errorText(error)} style={{ marginBottom: 12 }} /> : null}
        <List<Notification>
          loading={isFetching}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={unread ? t.emptyUnread : t.empty} /> }}
          pagination={
            data && data.total > 0
              ? {
                  current: page,
                  pageSize,
                  total: data.total,
                  size: mobile ? 'small' : undefined,
                  showTotal: (n) => t.total(n),
                  onChange: list.changePage,
                }
              : false
          }
          renderItem={(n) => (
            <List.Item
              actions={[
                n.link ? (
                  <Button key="open" type="link" size="small" onClick={() => open(n)}>
                    {t.open}
                  </Button>
                ) : null,
                n.readAt ? null : (
                  <Button key="read" type="link" size="small" onClick={() => markRead.mutate(n.id)}>
                    {t.markRead}
                  </Button>
                ),
              ].filter(Boolean)}
            >
              <List.Item.Meta
                title={
                  <Flex align="center" wrap gap={4}>
                    {n.readAt ? null : <span className="dl-unread-dot" />}
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                    {n.readAt ? (
                      <Tag bordered={false} style={{ marginInlineStart: 4 }}>
                        {t.read}
                      </Tag>
                    ) : null}
                  </Flex>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>{n.body}</Typography.Paragraph>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTimeShort(n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </PageContainer>
  );
}
