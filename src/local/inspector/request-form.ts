import busboy from 'busboy';

interface FormFile {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** A webhook body as fields in their original order (a name may repeat), plus any uploaded files. */
export interface RequestForm {
  readonly encoding: 'urlencoded' | 'multipart' | 'other';
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly files: readonly FormFile[];
}

function mediaType(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? '';
}

function multipart(contentType: string, body: Buffer): Promise<RequestForm> {
  return new Promise((resolve) => {
    const fields: [string, string][] = [];
    const files: FormFile[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
    } catch {
      resolve({ encoding: 'other', fields, files });
      return;
    }
    parser.on('field', (name, value) => fields.push([name, value]));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        files.push({
          field,
          filename: info.filename ?? 'attachment',
          contentType: info.mimeType,
          data: Buffer.concat(chunks),
        }),
      );
    });
    // A malformed body is still worth showing: whatever was parsed so far.
    parser.on('error', () => resolve({ encoding: 'multipart', fields, files }));
    parser.on('close', () => resolve({ encoding: 'multipart', fields, files }));
    parser.end(body);
  });
}

/** An SNS delivery (SES inbound) shown by its envelope and the receipt's sender and recipient; never edited. */
function snsFields(body: Buffer): [string, string][] {
  try {
    const envelope = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const fields: [string, string][] = [];
    for (const name of ['Type', 'TopicArn', 'MessageId']) {
      if (typeof envelope[name] === 'string') fields.push([name, envelope[name] as string]);
    }
    const receipt = JSON.parse(String(envelope.Message ?? '{}')) as {
      mail?: { source?: unknown; commonHeaders?: { subject?: unknown; messageId?: unknown } };
      receipt?: { recipients?: unknown[] };
    };
    if (typeof receipt.mail?.source === 'string') fields.push(['sender', receipt.mail.source]);
    const recipient = receipt.receipt?.recipients?.[0];
    if (typeof recipient === 'string') fields.push(['recipient', recipient]);
    const headers = receipt.mail?.commonHeaders;
    if (typeof headers?.subject === 'string') fields.push(['subject', headers.subject]);
    if (typeof headers?.messageId === 'string') fields.push(['message-id', headers.messageId]);
    return fields;
  } catch {
    return [];
  }
}

/**
 * Parses for display and editing, never for verification: it is lenient (URLSearchParams rules), where the
 * gateway's own parser rejects malformed input.
 */
export async function parseRequestForm(contentType: string, body: Buffer): Promise<RequestForm> {
  const type = mediaType(contentType);
  if (type === 'application/x-www-form-urlencoded') {
    const fields = [...new URLSearchParams(body.toString('utf8'))];
    return { encoding: 'urlencoded', fields, files: [] };
  }
  if (type === 'multipart/form-data') return multipart(contentType, body);
  return { encoding: 'other', fields: type === 'text/plain' ? snsFields(body) : [], files: [] };
}

export function field(form: RequestForm, name: string): string | undefined {
  return form.fields.find(([key]) => key === name)?.[1];
}
