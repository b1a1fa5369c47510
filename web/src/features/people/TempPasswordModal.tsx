import { Alert, Button, Descriptions, Modal, Typography } from 'antd';
import type { TemporaryPasswordResult } from '../../lib/types';
import { peopleStrings as t } from './strings';

/** Shows a temporary password once (after create or reset), with a copy button. */
export function TempPasswordModal({
  result,
  kind,
  onClose,
}: {
  result: TemporaryPasswordResult | null;
  kind: 'created' | 'reset';
  onClose: () => void;
}) {
  return (
    <Modal
      title={t.temp.title}
      open={!!result}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="temp-password-close">
          {t.temp.close}
        </Button>
      }
    >
      {result ? (
        <>
          <Typography.Paragraph>
            {kind === 'created' ? t.temp.created(result.person.displayName) : t.temp.reset(result.person.displayName)}
          </Typography.Paragraph>
          <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t.temp.username}>{result.person.username}</Descriptions.Item>
            <Descriptions.Item label={t.temp.password}>
              <Typography.Text
                code
                copyable={{ text: result.temporaryPassword, tooltips: [t.temp.copy, t.temp.copied] }}
                style={{ fontSize: 16 }}
              >
                <span data-testid="temp-password">{result.temporaryPassword}</span>
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Alert type="warning" showIcon message={t.temp.hint} />
        </>
      ) : null}
    </Modal>
  );
}
