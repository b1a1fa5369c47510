import type { FormInstance } from 'antd';
import { isApiError } from './api';
import { showError } from './notify';

/**
 * Put the server's 400 field messages (`fields`, keys are dotted paths such as `post.title`) onto the form's
 * fields, and show the overall `message`. Returns true if at least one field got a message.
 */
export function applyServerErrors(form: FormInstance | undefined, e: unknown, fallback?: string): boolean {
  showError(e, fallback);
  if (!form || !isApiError(e) || !e.fields) return false;
  const entries = Object.entries(e.fields);
  if (entries.length === 0) return false;
  form.setFields(
    entries.map(([path, msg]) => ({
      name: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      errors: [msg],
    })),
  );
  return true;
}
