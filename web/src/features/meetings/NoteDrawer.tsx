import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { StudyNoteDetail } from '@dutyledger/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { formatDateTimeShort } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useDrawerWidth } from '../../lib/hooks';
import { errorText, showError, toastSuccess } from '../../lib/notify';
import { useCurrentMe } from '../../lib/session';
import { uploadAttachment } from '../duty/api';
import { studyNotesKey, useAttendedMeetings, useNote } from './api';
import { meetingStrings } from './strings';

const f = meetingStrings.noteForm;
const n = meetingStrings.note;

interface Values {
  title: string;
  body: string;
  meetingId?: string | null;
}

/** 写学习笔记 / 修改学习笔记 (the author's own). */
export function NoteFormDrawer({
  open,
  note,
  onClose,
  onSaved,
}: {
  open: boolean;
  note?: StudyNoteDetail | null;
  onClose: () => void;
  onSaved?: (n: StudyNoteDetail) => void;
}) {
  const [form] = Form.useForm<Values>();
  const width = useDrawerWidth(640);
  const qc = useQueryClient();
  const me = useCurrentMe();
  const unitId = me.posts.find((p) => p.id === me.currentPostId)?.scopeRootId;
  const { data: attended } = useAttendedMeetings(open);
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setFiles([]);
    if (note) form.setFieldsValue({ title: note.title, body: note.body, meetingId: note.meetingId });
  }, [open, note, form]);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        title: v.title.trim(),
        body: v.body.trim(),
        meetingId: v.meetingId ?? null,
        attachmentIds: files.flatMap((x) => (x.status === 'done' && x.response?.id ? [x.response.id] : [])),
      };
      return note ? api.patch<StudyNoteDetail>(`/api/study-notes/${note.id}`, body) : api.post<StudyNoteDetail>('/api/study-notes', body);
    },
    onSuccess: async (saved) => {
      toastSuccess(note ? f.updated : f.created);
      await qc.invalidateQueries({ queryKey: studyNotesKey });
      onSaved?.(saved);
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  const uploading = files.some((x) => x.status === 'uploading');
  const meetingOptions = (attended ?? []).map((m) => ({
    value: m.id,
    label: `${formatDateTimeShort(m.heldAt)} ${m.kindName}：${m.topic}`,
  }));
  if (note?.meetingId && !meetingOptions.some((o) => o.value === note.meetingId)) {
    meetingOptions.push({ value: note.meetingId, label: note.meetingTopic ?? '' });
  }
  return (
    <Drawer
      title={note ? f.editTitle : f.createTitle}
      open={open}
      onClose={onClose}
      width={width}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{f.cancel}</Button>
          <Button type="primary" loading={save.isPending} disabled={uploading} onClick={() => form.submit()} data-testid="note-save">
            {f.save}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon message={meetingStrings.notes.privacy} style={{ marginBottom: 12 }} />
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="title"
          label={f.title}
          rules={[
            { required: true, whitespace: true, message: f.titleRequired },
            { max: 200, message: f.titleMax },
          ]}
        >
          <Input placeholder={f.titlePlaceholder} maxLength={200} data-testid="note-title" />
        </Form.Item>
        <Form.Item name="meetingId" label={f.meeting}>
          <Select allowClear showSearch optionFilterProp="label" placeholder={f.meetingPlaceholder} options={meetingOptions} />
        </Form.Item>
        <Form.Item
          name="body"
          label={f.body}
          rules={[
            { required: true, whitespace: true, message: f.bodyRequired },
            { max: 50000, message: f.bodyMax },
          ]}
        >
          <Input.TextArea rows={10} placeholder={f.bodyPlaceholder} maxLength={50000} data-testid="note-body" />
        </Form.Item>
        {unitId ? (
          <Form.Item label={f.attachments}>
            <Upload<{ id: string }>
              fileList={files}
              onChange={({ fileList }) => setFiles(fileList)}
              customRequest={({ file, onSuccess, onError }) => {
                uploadAttachment(unitId, file as File)
                  .then((a) => onSuccess?.(a))
                  .catch((e: unknown) => {
                    showError(e, f.uploadFailed);
                    onError?.(e instanceof Error ? e : new Error(errorText(e)));
                  });
              }}
            >
              <Button icon={<UploadOutlined />}>{f.upload}</Button>
            </Upload>
          </Form.Item>
        ) : null}
      </Form>
    </Drawer>
  );
}

function ReadModal({ note, open, onClose }: { note: StudyNoteDetail; open: boolean; onClose: () => void }) {
  const r = meetingStrings.review;
  const [form] = Form.useForm<{ comment?: string }>();
  const qc = useQueryClient();
  const read = useMutation({
    mutationFn: (v: { comment?: string }) =>
      api.post<StudyNoteDetail>(`/api/study-notes/${note.id}/reads`, { comment: v.comment?.trim() ?? '' }),
    onSuccess: async () => {
      toastSuccess(r.done);
      await qc.invalidateQueries({ queryKey: studyNotesKey });
      onClose();
    },
    onError: (e) => applyServerErrors(form, e),
  });
  return (
    <Modal
      title={r.modalTitle}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={r.submit}
      cancelText={r.cancel}
      confirmLoading={read.isPending}
      okButtonProps={{ 'data-testid': 'note-read-ok' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{r.hint}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => read.mutate(v)}>
        <Form.Item name="comment" label={r.comment} rules={[{ max: 2000, message: r.commentMax }]}>
          <Input.TextArea rows={3} placeholder={r.commentPlaceholder} maxLength={2000} data-testid="note-read-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** GET /api/study-notes/:id: the note, its attachments and who read it; 修改 for the author, 调阅 for a reviewer. */
export function NoteDrawer({ noteId, onClose, mode }: { noteId: string | null; onClose: () => void; mode: 'author' | 'reviewer' }) {
  const width = useDrawerWidth(640);
  const q = useNote(noteId ?? undefined);
  const me = useCurrentMe();
  const [editing, setEditing] = useState(false);
  const [reading, setReading] = useState(false);
  const note = q.data;
  const mine = note?.authorId === me.id;
  const readByMe = note?.reads.some((x) => x.readerId === me.id);
  return (
    <Drawer
      title={n.title}
      open={!!noteId}
      onClose={onClose}
      width={width}
      destroyOnHidden
      extra={
        note ? (
          mode === 'author' && mine ? (
            note.read ? (
              <Tag>{n.locked}</Tag>
            ) : (
              <Button onClick={() => setEditing(true)} data-testid="note-edit">
                {n.edit}
              </Button>
            )
          ) : mode === 'reviewer' && !mine && !readByMe ? (
            <Button type="primary" onClick={() => setReading(true)} data-testid="note-read">
              {n.markRead}
            </Button>
          ) : null
        ) : null
      }
    >
      {q.isError ? <Alert type="error" showIcon message={n.loadFailed} description={errorText(q.error)} /> : null}
      {q.isLoading ? <Spin /> : null}
      {note ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="note-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={f.title}>{note.title}</Descriptions.Item>
            <Descriptions.Item label={n.author}>{note.authorName}</Descriptions.Item>
            <Descriptions.Item label={n.unit}>{note.unitName}</Descriptions.Item>
            {note.meetingTopic ? <Descriptions.Item label={n.meeting}>{note.meetingTopic}</Descriptions.Item> : null}
            <Descriptions.Item label={n.createdAt}>{formatDateTimeShort(note.createdAt)}</Descriptions.Item>
            {note.updatedAt !== note.createdAt ? (
              <Descriptions.Item label={n.updatedAt}>{formatDateTimeShort(note.updatedAt)}</Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{note.body}</Typography.Paragraph>
          <div>
            <Typography.Text strong>{n.attachments}</Typography.Text>
            <List
              size="small"
              dataSource={note.attachments}
              locale={{ emptyText: n.noAttachments }}
              renderItem={(a) => (
                <List.Item>
                  <a href={`/api/attachments/${a.id}/download`} target="_blank" rel="noreferrer">
                    <PaperClipOutlined /> {a.name}
                  </a>
                </List.Item>
              )}
            />
          </div>
          <div>
            <Typography.Text strong>{n.reads}</Typography.Text>
            <List
              size="small"
              bordered
              dataSource={note.reads}
              locale={{ emptyText: n.noReads }}
              renderItem={(x) => (
                <List.Item data-testid="note-read-record">
                  <List.Item.Meta title={n.readBy(x.readerName, formatDateTimeShort(x.readAt))} description={x.comment || undefined} />
                </List.Item>
              )}
            />
          </div>
          <NoteFormDrawer open={editing} note={note} onClose={() => setEditing(false)} />
          {reading ? <ReadModal note={note} open onClose={() => setReading(false)} /> : null}
        </Space>
      ) : null}
    </Drawer>
  );
}
