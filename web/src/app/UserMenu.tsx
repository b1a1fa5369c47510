import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Dropdown, type MenuProps, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useCurrentMe } from '../lib/session';
import { appStrings as t } from './strings';
import { useLogout } from './useLogout';

export function UserMenu({ compact }: { compact?: boolean }) {
  const me = useCurrentMe();
  const navigate = useNavigate();
  const logout = useLogout();
  const items: MenuProps['items'] = [
    { key: 'profile', icon: <UserOutlined />, label: t.header.profile },
    { key: 'password', icon: <KeyOutlined />, label: t.header.changePassword },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t.header.logout}</span>, danger: true },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'profile') navigate('/profile');
    else if (key === 'password') navigate('/profile?tab=password');
    else if (key === 'logout') logout.mutate();
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <button
        type="button"
        data-testid="user-menu"
        aria-label={me.displayName}
        style={{ border: 0, background: 'none', cursor: 'pointer', padding: '0 4px', height: 40, display: 'flex', alignItems: 'center' }}
      >
        <Space size={6}>
          <Avatar size="small" style={{ background: '#c62828' }}>
            {me.displayName.slice(0, 1)}
          </Avatar>
          {compact ? null : (
            <>
              <span style={{ maxWidth: 120, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', display: 'inline-block' }}>
                {me.displayName}
              </span>
              <DownOutlined style={{ fontSize: 10 }} />
            </>
          )}
        </Space>
      </button>
    </Dropdown>
  );
}
