import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api, setCsrfToken } from '../lib/api';
import { toastSuccess } from '../lib/notify';
import { meKey } from '../lib/session';
import { appStrings as t } from './strings';

/** POST /api/auth/logout; whatever the answer, forget the session locally and go to the login page. */
export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.post('/api/auth/logout', undefined, { on401: 'throw' }),
    onSettled: (_data, error) => {
      setCsrfToken(null);
      qc.setQueryData(meKey, null);
      if (!error) toastSuccess(t.header.loggedOut);
      navigate('/login', { replace: true });
      // drop the previous user's data once the shell has unmounted
      setTimeout(() => qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] }), 0);
    },
  });
}
