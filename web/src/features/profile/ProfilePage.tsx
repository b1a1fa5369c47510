import { CheckCircleFilled } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Empty, List, Row, Tabs, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useCurrentMe, useSwitchPost } from '../../lib/session';
import { PageContainer, RoleTags } from '../../lib/ui';
import { ChangePasswordForm } from './ChangePasswordForm';
import { profileStrings as t } from './strings';

function MyInfo() {
  const me = useCurrentMe();
  const current = me.posts.find((p) => p.id === me.currentPostId);
  const switchPost = useSwitchPost();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card size="small" title={t.tabInfo}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t.info.displayName}>{me.displayName}</Descriptions.Item>
            <Descriptions.Item label={t.info.username}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t.info.currentPost}>
              {current ? `${current.unitName} · ${current.title}` : t.info.none}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card size="small" title={t.posts.title}>
          {me.posts.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.posts.empty} />
          ) : (
            <List
              dataSource={me.posts}
              renderItem={(p) => {
                const isCurrent = p.id === me.currentPostId;
                return (
                  <List.Item
                    actions={
                      isCurrent || me.posts.length < 2
                        ? []
                        : [
                            <Button
                              key="switch"
                              size="small"
                              loading={switchPost.isPending && switchPost.variables === p.id}
                              onClick={() => switchPost.mutate(p.id)}
                            >
                              {t.posts.switchTo}
                            </Button>,
                          ]
                    }
                  >
                    <List.Item.Meta
                      title={
                        <span>
                          {p.title}
                          {isCurrent ? (
                            <Tag color="blue" icon={<CheckCircleFilled />} style={{ marginInlineStart: 8 }}>
                              {t.posts.current}
                            </Tag>
                          ) : null}
                        </span>
                      }
                      description={
                        <>
                          <div>
                            {t.posts.unit}：{p.unitName}
                          </div>
                          <div>
                            {t.posts.scope}：{p.scopeRootName}
                          </div>
                          <div style={{ marginTop: 4 }}>
                            <RoleTags roles={p.roles} />
                          </div>
                        </>
                      }
                    />
                  </List.Item>
                );
              }}
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}

export default function ProfilePage() {
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') === 'password' ? 'password' : 'info';
  return (
    <PageContainer title={t.title}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setSp(k === 'password' ? { tab: 'password' } : {}, { replace: true })}
        items={[
          { key: 'info', label: t.tabInfo, children: <MyInfo /> },
          {
            key: 'password',
            label: t.tabPassword,
            children: (
              <Card size="small">
                <Typography.Paragraph type="secondary">{t.password.policy}</Typography.Paragraph>
                <ChangePasswordForm />
              </Card>
            ),
          },
        ]}
      />
    </PageContainer>
  );
}
