import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Drawer, Empty, Flex, Form, Modal, Popconfirm, Space } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { showError, toastSuccess } from '../../lib/notify';
import type { Person, Post, Unit } from '../../lib/types';
import { RoleTags } from '../../lib/ui';
import { peopleKey } from './api';
import { PostFields, type PostValues, toPostBody } from './PostFields';
import { peopleStrings as t } from './strings';

type Editing = { kind: 'add' } | { kind: 'edit'; post: Post };

function PostFormModal({
  person,
  editing,
  units,
  onClose,
}: {
  person: Person;
  editing: Editing | null;
  units: Unit[];
  onClose: () => void;
}) {
  const [form] = Form.useForm<PostValues>();
  const close = onClose;
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (v: PostValues) => {
      const body = toPostBody(v);
      if (editing?.kind === 'edit') {
        const p = editing.post;
        const patch: Record<string, unknown> = {};
        if (body.unitId !== p.unitId) patch.unitId = body.unitId;
        const scope = body.scopeRootId ?? body.unitId;
        if (scope !== p.scopeRootId) patch.scopeRootId = scope;
        if (body.title !== p.title) patch.title = body.title;
        if (body.roles.join(',') !== p.roles.join(',')) patch.roles = body.roles;
        return api.patch<Post>(`/api/posts/${p.id}`, patch);
      }
      return api.post<Post>(`/api/people/${person.id}/posts`, body);
    },
    onSuccess: async () => {
      toastSuccess(editing?.kind === 'edit' ? t.posts.updated : t.posts.added);
      await qc.invalidateQueries({ queryKey: peopleKey });
      close();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  useEffect(() => {
    if (!editing) return;
    form.resetFields();
    form.setFieldsValue(
      editing.kind === 'edit'
        ? {
            unitId: editing.post.unitId,
            scopeRootId: editing.post.scopeRootId === editing.post.unitId ? undefined : editing.post.scopeRootId,
            title: editing.post.title,
            roles: editing.post.roles,
          }
        : { roles: ['clerk'] },
    );
  }, [editing, form]);
  return (
    <Modal
      title={editing?.kind === 'edit' ? t.posts.editTitle : t.posts.addTitle}
      open={!!editing}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t.form.submit}
      okButtonProps={{ 'data-testid': 'post-submit' } as Record<string, string>}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form<PostValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <PostFields units={units} testIdPrefix="post" />
      </Form>
    </Modal>
  );
}

/** A person's posts: add (POST /api/people/:id/posts), edit (PATCH /api/posts/:id), remove (DELETE /api/posts/:id). */
export function PostsDrawer({ person, units, onClose }: { person: Person | null; units: Unit[]; onClose: () => void }) {
  const width = useDrawerWidth(600);
  const [editing, setEditing] = useState<Editing | null>(null);
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: (postId: string) => api.del(`/api/posts/${postId}`),
    onSuccess: async () => {
      toastSuccess(t.posts.removed);
      await qc.invalidateQueries({ queryKey: peopleKey });
    },
    onError: (e) => showError(e),
  });

  return (
    <Drawer
      title={person ? t.posts.title(person.displayName) : ''}
      open={!!person}
      onClose={onClose}
      width={width}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'add' })} data-testid="post-add">
          {t.posts.add}
        </Button>
      }
    >
      {person && person.posts.length === 0 ? <Empty description={t.posts.empty} /> : null}
      <Flex vertical gap={12}>
        {person?.posts.map((p) => (
          <Card
            key={p.id}
            size="small"
            title={p.title}
            extra={
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ kind: 'edit', post: p })}>
                  {t.posts.edit}
                </Button>
                <Popconfirm
                  title={t.posts.removeConfirm}
                  description={t.posts.removeHint}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove.mutateAsync(p.id).catch(() => undefined)}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                    {t.posts.remove}
                  </Button>
                </Popconfirm>
              </Space>
            }
          >
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t.posts.unit}>{p.unitName}</Descriptions.Item>
              <Descriptions.Item label={t.posts.scope}>{p.scopeRootName}</Descriptions.Item>
              <Descriptions.Item label={t.posts.roles}>
                <RoleTags roles={p.roles} />
              </Descriptions.Item>
            </Descriptions>
          </Card>
        ))}
      </Flex>
      {person ? <PostFormModal person={person} editing={editing} units={units} onClose={() => setEditing(null)} /> : null}
    </Drawer>
  );
}
