import { type ChannelStatus, channelStatuses, channelStatusLabels, reviewLevelLabels } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Form, Input, Radio, Select, Space, Spin, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { toastSuccess } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { unitTreeSelectData } from '../../lib/units';
import { useUnits } from '../org/api';
import { channelsKey, useChannel, useChannelDict } from './api';
import { PeopleSelect } from './PeopleSelect';
import { channelStrings } from './strings';

const t = channelStrings.channels.form;

interface Values {
  unitId: string;
  supervisorUnitId: string;
  typeId: string;
  name: string;
  address?: string;
  responsiblePersonId?: string | null;
  status: ChannelStatus;
  levels: number;
  chain: string[][];
}

/** Create (`id` null) or edit a channel and its review chain. */
export function ChannelDrawer({ open, id, onClose }: { open: boolean; id: string | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(560);
  const me = useCurrentMe();
  const qc = useQueryClient();
  const { data: units } = useUnits(false);
  const unitTree = useMemo(() => unitTreeSelectData(units ?? [], (u) => !u.active), [units]);
  const { data: types } = useChannelDict('channelType');
  const { data: existing, isLoading } = useChannel(open ? id : null);
  const levels = Form.useWatch('levels', form) ?? 1;
  const defaultUnitId = me.posts.find((p) => p.id === me.currentPostId)?.unitId;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (!id)
      form.setFieldsValue({ unitId: defaultUnitId, supervisorUnitId: defaultUnitId, status: 'running', levels: 2, chain: [[], [], []] });
    else if (existing) {
      const chain = [1, 2, 3].map((l) => existing.reviewers.filter((r) => r.level === l).map((r) => r.personId));
      form.setFieldsValue({ ...existing, levels: existing.reviewLevels, chain });
    }
  }, [open, id, existing, form, defaultUnitId]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const reviewChain = (v.chain ?? []).slice(0, v.levels).map((ids) => ids ?? []);
      const body = {
        supervisorUnitId: v.supervisorUnitId,
        typeId: v.typeId,
        name: v.name.trim(),
        address: (v.address ?? '').trim(),
        responsiblePersonId: v.responsiblePersonId ?? null,
        status: v.status,
        reviewChain,
      };
      return id ? api.patch(`/api/channels/${id}`, body) : api.post('/api/channels', { ...body, unitId: v.unitId });
    },
    onSuccess: async () => {
      toastSuccess(channelStrings.common.saved);
      await qc.invalidateQueries({ queryKey: channelsKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });

  return (
    <Drawer
      title={id ? t.editTitle : t.createTitle}
      open={open}
      onClose={onClose}
      width={width}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{channelStrings.common.cancel}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="channel-save">
            {channelStrings.common.save}
          </Button>
        </Space>
      }
    >
      {id && isLoading ? (
        <Spin />
      ) : (
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="unitId" label={t.unit} rules={[{ required: true, message: t.unitRequired }]}>
            <TreeSelect
              treeData={unitTree}
              showSearch
              treeNodeFilterProp="title"
              disabled={!!id}
              treeDefaultExpandAll
              data-testid="channel-unit"
            />
          </Form.Item>
          <Form.Item
            name="supervisorUnitId"
            label={t.supervisor}
            extra={t.supervisorHelp}
            rules={[{ required: true, message: t.supervisorRequired }]}
          >
            <TreeSelect treeData={unitTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
          </Form.Item>
          <Form.Item name="typeId" label={t.type} rules={[{ required: true, message: t.typeRequired }]}>
            <Select
              options={(types ?? []).filter((x) => x.active || x.id === existing?.typeId).map((x) => ({ value: x.id, label: x.name }))}
              data-testid="channel-type"
            />
          </Form.Item>
          <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true, message: t.nameRequired }]}>
            <Input maxLength={200} data-testid="channel-name" />
          </Form.Item>
          <Form.Item name="address" label={t.address}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="responsiblePersonId" label={t.responsible}>
            <PeopleSelect
              known={
                existing?.responsiblePersonId
                  ? [{ personId: existing.responsiblePersonId, displayName: existing.responsibleName ?? '' }]
                  : []
              }
            />
          </Form.Item>
          <Form.Item name="status" label={t.status}>
            <Radio.Group options={channelStatuses.map((s) => ({ value: s, label: channelStatusLabels[s] }))} />
          </Form.Item>
          <Form.Item name="levels" label={`${t.chain} · ${t.levelCount}`}>
            <Radio.Group
              options={[1, 2, 3].map((n) => ({ value: n, label: channelStrings.channels.levels(n) }))}
              data-testid="channel-levels"
            />
          </Form.Item>
          {[0, 1, 2].slice(0, levels).map((i) => (
            <Form.Item
              key={i}
              name={['chain', i]}
              label={t.reviewers(reviewLevelLabels[i]!)}
              rules={[{ required: true, type: 'array', min: 1, message: t.reviewersRequired }]}
            >
              <PeopleSelect multiple known={existing?.reviewers ?? []} testId={`channel-reviewers-${i + 1}`} />
            </Form.Item>
          ))}
        </Form>
      )}
    </Drawer>
  );
}
