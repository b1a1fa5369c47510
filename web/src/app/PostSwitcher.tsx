import { Select } from 'antd';
import { toastSuccess } from '../lib/notify';
import { useCurrentMe, useSwitchPost } from '../lib/session';
import { appStrings as t } from './strings';

/** Header select over the user's posts (shown when there are several). */
export function PostSwitcher({ compact }: { compact?: boolean }) {
  const me = useCurrentMe();
  const switchPost = useSwitchPost((fresh) => {
    const post = fresh.posts.find((p) => p.id === fresh.currentPostId);
    if (post) toastSuccess(`${t.header.switched}：${post.unitName} · ${post.title}`);
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
