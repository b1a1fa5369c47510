import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Select } from 'antd';
import { api } from '../lib/api';
import { showError, toastSuccess } from '../lib/notify';
import { useCurrentMe } from '../lib/session';
import { appStrings as t } from './strings';

/** Header select over the user's posts: POST /api/auth/switch-post, then refetch everything. */
export function PostSwitcher({ compact }: { compact?: boolean }) {
  const me = useCurrentMe();
  const qc = useQueryClient();
  const switchPost = useMutation({
    mutationFn: (postId: string) => api.post<unknown>('/api/auth/switch-post', { postId }),
    onSuccess: async (_data, postId) => {
      await qc.invalidateQueries();
      const post = me.posts.find((p) => p.id === postId);
      if (post) toastSuccess(`${t.header.switched}：${post.unitName} · ${post.title}`);
    },
    onError: (e) => showError(e),
  });

  return (
    <Select
      aria-label={t.header.switchPost}
      title={t.header.switchPost}
      data-testid="post-switcher"
      value={me.currentPostId ?? undefined}
      placeholder={t.header.switchPost}
      loading={switchPost.isPending}
      disabled={switchPost.isPending}
      onChange={(id: string) => switchPost.mutate(id)}
      style={{ width: compact ? 150 : 260, minWidth: 0 }}
      popupMatchSelectWidth={compact ? 260 : true}
      options={me.posts.map((p) => ({ value: p.id, label: `${p.unitName} · ${p.title}` }))}
    />
  );
}
