import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { Attachment, OpinionLevel } from '@dutyledger/contracts';
import { Button, List, Tag, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { errorText, showError } from '../../lib/notify';
import { uploadAttachment } from '../duty/api';
import { opinionStrings } from './strings';

const c = opinionStrings.common;

export const levelColors: Record<OpinionLevel, string> = { general: 'blue', serious: 'gold', major: 'orange', critical: 'red' };

export function LevelTag({ level, label }: { level: OpinionLevel; label: string }) {
  return <Tag color={levelColors[level]}>{label}</Tag>;
}

export function AttachmentList({ items }: { items: Attachment[] }) {
  return (
    <List
      size="small"
      dataSource={items}
      locale={{ emptyText: c.noAttachments }}
      renderItem={(a) => (
        <List.Item>
          <a href={`/api/attachments/${a.id}/download`} target="_blank" rel="noreferrer">
            <PaperClipOutlined /> {a.name}
          </a>
        </List.Item>
      )}
    />
  );
}

/** Upload state for a form: the files, the ids of the uploaded ones, whether one is still uploading. */
export function useUploads(unitId: string | undefined) {
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const ids = files.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : []));
  const uploading = files.some((f) => f.status === 'uploading');
  const field = (
    <Upload<{ id: string }>
      fileList={files}
      onChange={({ fileList }) => setFiles(fileList)}
      disabled={!unitId}
      customRequest={({ file, onSuccess, onError }) => {
        uploadAttachment(unitId as string, file as File)
          .then((a) => onSuccess?.(a))
          .catch((e: unknown) => {
            showError(e, c.uploadFailed);
            onError?.(e instanceof Error ? e : new Error(errorText(e)));
          });
      }}
    >
      <Button icon={<UploadOutlined />}>{c.upload}</Button>
    </Upload>
  );
  return { ids, uploading, field, reset: () => setFiles([]) };
}
