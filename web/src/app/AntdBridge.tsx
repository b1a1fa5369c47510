import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { setNavigator } from '../lib/api';
import { antdHolder } from '../lib/notify';
import { meKey } from '../lib/session';

/**
 * Binds antd's contextual message/notification/modal and React Router's navigate for non-component code
 * (the API client redirects to /login on 401 and to /password on PASSWORD_CHANGE_REQUIRED).
 */
export function AntdBridge() {
  const { message, notification, modal } = App.useApp();
  antdHolder.message = message;
  antdHolder.notification = notification;
  antdHolder.modal = modal;
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setNavigator((path) => {
      if (path === '/login') {
        qc.setQueryData(meKey, null);
        if (window.location.pathname !== '/login') {
          const from = `${window.location.pathname}${window.location.search}`;
          navigate('/login', { replace: true, state: { from } });
        }
        return;
      }
      if (path === '/password') void qc.invalidateQueries({ queryKey: meKey });
      if (window.location.pathname !== path) navigate(path);
    });
  }, [navigate, qc]);
  return null;
}
