import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GraphApi, MediaDownload } from '../../src/app/media-ports.js';
import type { AttachmentStore, AttachmentUpload } from '../../src/app/ports.js';
import { storeProviderMedia } from '../../src/app/store-provider-media.js';
import { DependencyError } from '../../src/domain/errors.js';

const bytes = Buffer.from('a CV, in bytes');
const sha = createHash('sha256').update(bytes).digest('base64');
const owner = { companyId: 'c', conversationId: 'conv', messageId: 'wamid.X' };

function graphServing(data: Buffer, released: { count: number }): GraphApi {
  return {
    mediaInfo: async () => ({
      url: 'https://lookaside.fbsbx.com/x',
      mimeType: 'application/pdf',
      fileSize: data.length,
    }),
    downloadMedia: async (): Promise<MediaDownload> => ({
      body: (async function* () {
        try {
          yield data.subarray(0, 4);
          yield data.subarray(4);
        } finally {
          released.count++;
        }
      })(),
      contentType: 'application/pdf',
      cancel: async () => undefined,
    }),
    sendText: async () => undefined,
  };
}

class ReadingStore implements AttachmentStore {
  readonly received: Buffer[] = [];
  constructor(private readonly failAfterFirstChunk = false) {}
  async put(upload: AttachmentUpload) {
    const chunks: Buffer[] = [];
    for await (const chunk of upload.body) {
      chunks.push(Buffer.from(chunk));
      if (this.failAfterFirstChunk) throw new DependencyError('s3');
    }
    const body = Buffer.concat(chunks);
    this.received.push(body);
    return {
      size: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      s3: { bucket: 'b', key: upload.key },
    };
  }
}

const meta = (sha256 = sha) =>
  ({
    kind: 'meta',
    accessToken: 't',
    phoneNumberId: '1',
    media: [{ kind: 'document', id: '9', mimeType: 'application/pdf', sha256, filename: 'cv.pdf' }],
  }) as const;

describe('storeProviderMedia: who is to blame decides the answer', () => {
  it('stores and names the media like an email attachment', async () => {
    const store = new ReadingStore();
    const result = await storeProviderMedia(
      { graphApi: graphServing(bytes, { count: 0 }), attachments: store },
      meta(),
      owner,
    );
    expect(result.stored).toEqual([
      expect.objectContaining({ filename: 'cv.pdf', content_type: 'application/pdf', size: bytes.length }),
    ]);
    expect(store.received).toEqual([bytes]);
  });

  it('the store failing is the gateway’s problem: thrown (503, the provider retries), download released', async () => {
    const released = { count: 0 };
    await expect(
      storeProviderMedia(
        { graphApi: graphServing(bytes, released), attachments: new ReadingStore(true) },
        meta(),
        owner,
      ),
    ).rejects.toBeInstanceOf(DependencyError);
    expect(released.count).toBe(1);
  });

  it('a digest mismatch is the provider’s: not stored, the store never sees the end of the body', async () => {
    const store = new ReadingStore();
    const wrong = createHash('sha256').update('other').digest('base64');
    const result = await storeProviderMedia(
      { graphApi: graphServing(bytes, { count: 0 }), attachments: store },
      meta(wrong),
      owner,
    );
    expect(result.notStored.map((n) => n.reason)).toEqual(['sha256-mismatch']);
    expect(store.received).toEqual([]);
  });
});
