import { describe, expect, it } from 'vitest';
import {
  buildFallbackMessage,
  fallbackLedgerKey,
  fallbackText,
  normalisedMailbox,
} from '../../src/domain/fallback-message.js';
import type { InboundMessage, RegistryEntry } from '../../src/domain/types.js';

const registry: RegistryEntry = {
  channel_address: 'whatsapp:+14155238886',
  channel_type: 'whatsapp',
  company_id: 'c',
  project_id: 'p',
  company_name: 'Cucumber Recruitment',
  credentials_reference: 'ref',
  website_url: 'https://cucumber.example',
  contact_phone: '+442079460000',
};
const whatsapp: InboundMessage = {
  channel: 'whatsapp',
  kind: 'message',
  from: '+447700900999',
  to: 'whatsapp:+14155238886',
  body: 'hi',
  messageId: 'SM1',
};

describe('fallback replies', () => {
  it('says the conversation is inactive and offers the alternative contacts', () => {
    expect(fallbackText(registry)).toContain('no longer active');
    expect(fallbackText(registry)).toContain('https://cucumber.example');
    expect(fallbackText(registry)).toContain('+442079460000');
    expect(fallbackText({ ...registry, fallback_message: 'Custom text' })).toBe('Custom text');
  });

  it('answers WhatsApp from the company channel to the sender, free-form unless a template is configured', () => {
    expect(buildFallbackMessage(whatsapp, registry)).toMatchObject({
      from: 'whatsapp:+14155238886',
      to: 'whatsapp:+447700900999',
    });
    expect(buildFallbackMessage(whatsapp, registry).contentSid).toBeUndefined();
    expect(buildFallbackMessage(whatsapp, { ...registry, fallback_content_sid: 'HX1' })).toMatchObject({
      contentSid: 'HX1',
    });
  });

  it("answers email with the template subject only (the sender's subject is never echoed) and In-Reply-To", () => {
    const email: InboundMessage = {
      ...whatsapp,
      channel: 'email',
      from: 'a@b.example',
      to: 'replies@x.example',
      messageId: '<m@x>',
      email: { subject: 'Buy cheap pills at evil.example', attachments: [] },
    };

    expect(
      buildFallbackMessage(email, { ...registry, from_address: 'Team <replies@x.example>' }),
    ).toMatchObject({
      to: 'a@b.example',
      from: 'Team <replies@x.example>',
      subject: 'Your message to Cucumber Recruitment',
      inReplyTo: '<m@x>',
    });
  });

  it('keys the 24 h slot by channel, company channel and sender', () => {
    expect(fallbackLedgerKey(whatsapp)).toBe('whatsapp#whatsapp:+14155238886#+447700900999');
  });

  it('keys email slots by normalised mailbox, so plus-address variants share one slot', () => {
    const email = (from: string): InboundMessage => ({
      ...whatsapp,
      channel: 'email',
      from,
      to: 'r@x.example',
    });

    expect(fallbackLedgerKey(email('Victim+1@Mail.Example'))).toBe(
      fallbackLedgerKey(email('victim@mail.example')),
    );
    expect(fallbackLedgerKey(email('victim+2@mail.example'))).toBe('email#r@x.example#victim@mail.example');
    expect(normalisedMailbox('a+b+c@x.example')).toBe('a@x.example');
    expect(normalisedMailbox('+447700900999')).toBe('+447700900999');
    expect(normalisedMailbox('odd+local')).toBe('odd+local');
  });
});
